// A user's profile picture from the server (GET /api/v4/users/{id}/image), initials when it cannot load.
import React, {useState} from 'react';

import {siteUrl} from '../../store/selectors.js';

interface Props {
    userId: string;
    name: string;
    size?: number;
}

export function Avatar({userId, name, size = 40}: Props) {
    const [failed, setFailed] = useState(false);
    const initials = name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('') || '?';
    if (failed) {
        return (
            <span
                className='offb-avatar offb-avatar--initials'
                style={{width: size, height: size, fontSize: size * 0.4}}
                aria-hidden='true'
            >
                {initials}
            </span>
        );
    }
    return (
        <img
            className='offb-avatar'
            src={`${siteUrl()}/api/v4/users/${encodeURIComponent(userId)}/image`}
            alt=''
            width={size}
            height={size}
            onError={() => setFailed(true)}
        />
    );
}
