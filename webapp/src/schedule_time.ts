// Date + time + IANA timezone (what the admin picks) to an ISO 8601 instant with that zone's offset (what run.start
// takes), using only Intl: no date library in the bundle.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

/** Minutes the zone is ahead of UTC at the given instant. Throws RangeError for an unknown zone. */
export function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
        second: '2-digit',
    }).formatToParts(new Date(utcMs));
    const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((wallAsUtc - utcMs) / 60_000);
}

function formatOffset(minutes: number): string {
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `2026-03-02`, `09:30`, `Europe/Berlin` → `2026-03-02T09:30:00+01:00`; null when any part is invalid. */
export function zonedTimeToIso(date: string, time: string, timeZone: string): string | null {
    const d = DATE.exec(date);
    const t = TIME.exec(time);
    if (!d || !t) {
        return null;
    }
    const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    const check = new Date(wall);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
        return null;
    }
    let offset: number;
    try {
        offset = zoneOffsetMinutes(wall, timeZone);
        // The offset at the wall time read as UTC can differ from the one at the real instant near a DST change.
        offset = zoneOffsetMinutes(wall - (offset * 60_000), timeZone);
    } catch {
        return null;
    }
    return `${date}T${time}:00${formatOffset(offset)}`;
}

/** The browser's zone, the default of the timezone picker. */
export function localTimeZone(): string {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows (Intl.supportedValuesOf), with the local one guaranteed to be present. */
export function timeZones(): string[] {
    const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return [...new Set(['UTC', localTimeZone(), ...supported])].sort();
}
