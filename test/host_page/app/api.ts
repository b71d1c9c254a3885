// The host's REST helper, behaving like Client4 in the browser: session cookie, X-Requested-With, and the CSRF
// token from the MMCSRF cookie on every write.

export class HostApiError extends Error {
    constructor(message: string, readonly status: number) {
        super(message);
        this.name = 'HostApiError';
    }
}

function csrfToken(): string | undefined {
    for (const part of document.cookie.split(';')) {
        const [k, ...v] = part.trim().split('=');
        if (k === 'MMCSRF') {
            return v.join('=');
        }
    }
    return undefined;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json'};
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const csrf = csrfToken();
    if (method !== 'GET' && csrf) {
        headers['X-CSRF-Token'] = csrf;
    }
    const res = await fetch(path, {method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body)});
    const data = await res.json().catch(() => null) as (T & {message?: string}) | null;
    if (!res.ok) {
        throw new HostApiError(data?.message ?? `${method} ${path} answered ${res.status}`, res.status);
    }
    return data as T;
}
