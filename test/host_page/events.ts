// The host page's stand-in for Mattermost's websocket: the simulator's in-process events, filtered to what the
// signed-in user may see and shaped like the server's messages (`post` as a JSON string), sent as Server-Sent Events.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {MattermostSim} from '../mattermost_sim/index.js';

interface SimPost {
  id: string;
  channel_id: string;
  user_id: string;
}

const KEEPALIVE_MS = 15_000;

/** A websocket message as the webapp hands it to handlers (model.WebSocketEvent). */
export function websocketMessage(sim: MattermostSim, event: string, post: SimPost, seq: number): Record<string, unknown> {
  const channel = sim.state.channel(post.channel_id);
  const data: Record<string, unknown> = {post: JSON.stringify(post)};
  if (event === 'posted') {
    Object.assign(data, {
      channel_display_name: channel?.display_name ?? '', channel_name: channel?.name ?? '', channel_type: channel?.type ?? '',
      team_id: channel?.team_id ?? '', sender_name: `@${sim.state.user(post.user_id)?.username ?? ''}`,
    });
  }
  return {event, data, broadcast: {channel_id: post.channel_id, team_id: channel?.team_id ?? ''}, seq};
}

/** Streams `posted` / `post_edited` for channels the user belongs to, and their `ephemeral_message`s. */
export function relayEvents(sim: MattermostSim, userId: string, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'Connection': 'keep-alive'});
  res.write('retry: 1000\n\n');
  let seq = 0;
  const send = (message: Record<string, unknown>) => res.write(`data: ${JSON.stringify(message)}\n\n`);
  const member = (post: SimPost) => sim.state.channelMember(post.channel_id, userId) !== undefined;
  const onPosted = ({post}: {post: SimPost}) => {
    if (member(post)) send(websocketMessage(sim, 'posted', post, ++seq));
  };
  const onEdited = ({post}: {post: SimPost}) => {
    if (member(post)) send(websocketMessage(sim, 'post_edited', post, ++seq));
  };
  const onEphemeral = ({user_id: target, post}: {user_id: string; post: SimPost}) => {
    if (target === userId) send({event: 'ephemeral_message', data: {post: JSON.stringify(post)}, broadcast: {user_id: userId}, seq: ++seq});
  };
  sim.events.on('posted', onPosted);
  sim.events.on('post_edited', onEdited);
  sim.events.on('ephemeral', onEphemeral);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS).unref();
  const stop = () => {
    clearInterval(keepalive);
    sim.events.off('posted', onPosted);
    sim.events.off('post_edited', onEdited);
    sim.events.off('ephemeral', onEphemeral);
  };
  req.on('close', stop);
  res.on('close', stop);
}

const COLOURS = ['#1c58d9', '#3db887', '#cc8f00', '#d24b4e', '#7a5cc4', '#2389d7'];

/** A default profile picture: initials on a colour derived from the user id, like the server's generated one. */
export function avatarSvg(user: {id: string; username: string; first_name: string; last_name: string}): string {
  const initials = ((user.first_name[0] ?? '') + (user.last_name[0] ?? '') || user.username.slice(0, 2)).toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  const colour = COLOURS[[...user.id].reduce((n, c) => n + c.charCodeAt(0), 0) % COLOURS.length];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${colour}"/>`
    + `<text x="32" y="41" font-family="Arial, sans-serif" font-size="26" font-weight="600" fill="#fff" text-anchor="middle">`
    + `${initials}</text></svg>`;
}
