// The `/offboard` hook (registerSlashCommandWillBePostedHook): `/offboard` and `/offboard @user` open the modal and
// are swallowed (`{}`); every other command, and `/offboard help|list|status|rpc …`, passes through unchanged.
import type {CommandContext} from './client.js';
import type {SlashCommandArgs, SlashCommandHookResult} from './types/mattermost.js';

/** Words the service answers itself (server/src/mattermost/command.ts). */
const SERVICE_VERBS = new Set(['help', 'list', 'status', 'rpc']);
const PERSON = /^@?[a-z0-9][a-z0-9._-]{0,63}$|^[^@\s]+@[^@\s]+\.[^@\s]+$/i;

/** What the hook should do with a message: open the modal (with a prefill, maybe) or pass it on. */
export function parseOffboardCommand(message: string): {open: true; prefill: string | null} | {open: false} {
    const match = /^\/offboard(?:\s+([\s\S]*))?$/i.exec(message.trim());
    if (!match) {
        return {open: false};
    }
    const rest = (match[1] ?? '').trim();
    if (rest === '') {
        return {open: true, prefill: null};
    }
    if (rest.split(/\s+/).length === 1 && !SERVICE_VERBS.has(rest.toLowerCase()) && PERSON.test(rest)) {
        return {open: true, prefill: rest};
    }
    return {open: false};
}

export function createSlashHook(open: (prefill: string | null, context: CommandContext) => void) {
    return (message: string, args: SlashCommandArgs): SlashCommandHookResult => {
        const parsed = parseOffboardCommand(message);
        if (!parsed.open) {
            return {message, args};
        }
        open(parsed.prefill, {channel_id: args.channel_id, team_id: args.team_id});
        return {};
    };
}
