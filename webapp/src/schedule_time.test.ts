import {describe, expect, it} from '@jest/globals';

import {timeZones, zonedTimeToIso, zoneOffsetMinutes} from './schedule_time.js';

describe('zonedTimeToIso', () => {
    it.each([
        ['2026-01-15', '09:30', 'Europe/Berlin', '2026-01-15T09:30:00+01:00'],
        ['2026-07-15', '09:30', 'Europe/Berlin', '2026-07-15T09:30:00+02:00'],
        ['2026-07-15', '18:00', 'America/New_York', '2026-07-15T18:00:00-04:00'],
        ['2026-03-01', '00:00', 'UTC', '2026-03-01T00:00:00+00:00'],
        ['2026-03-01', '12:15', 'Asia/Kolkata', '2026-03-01T12:15:00+05:30'],
    ])('%s %s %s', (date, time, zone, expected) => {
        const iso = zonedTimeToIso(date, time, zone);
        expect(iso).toBe(expected);
        // The instant is the wall time in that zone.
        expect(new Date(iso ?? '').getTime() + zoneOffsetMinutes(Date.parse(iso ?? ''), zone) * 60_000)
            .toBe(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8)), Number(time.slice(0, 2)), Number(time.slice(3))));
    });

    it.each([
        ['2026-02-30', '09:00', 'UTC'],
        ['2026-13-01', '09:00', 'UTC'],
        ['', '09:00', 'UTC'],
        ['2026-02-01', '25:00', 'UTC'],
        ['2026-02-01', '9am', 'UTC'],
        ['2026-02-01', '09:00', 'Mars/Olympus_Mons'],
    ])('refuses %s %s %s', (date, time, zone) => {
        expect(zonedTimeToIso(date, time, zone)).toBeNull();
    });
});

describe('timeZones', () => {
    it('lists UTC and real zones, sorted', () => {
        const zones = timeZones();
        expect(zones).toContain('UTC');
        expect(zones).toContain('Europe/Berlin');
        expect([...zones].sort()).toEqual(zones);
    });
});
