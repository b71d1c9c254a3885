// The host page's own layout, themed only with Mattermost's CSS variables (set on :root by html.ts).
export const HOST_CSS = `
.host { display: grid; grid-template-columns: 240px 1fr 220px; height: 100vh; }
.host-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.host-muted { color: rgba(var(--center-channel-color-rgb), 0.64); font-size: 12px; }
.host *:focus-visible { outline: 2px solid var(--button-bg); outline-offset: 2px; }
.host-sidebar { background: var(--sidebar-bg); color: var(--sidebar-text); padding: 12px 0; overflow-y: auto; }
.host-sidebar__team { font-weight: 700; font-size: 16px; padding: 0 16px; }
.host-sidebar__me { opacity: 0.72; padding: 0 16px 12px; font-size: 12px; }
.host-sidebar__list { list-style: none; margin: 0; padding: 0; }
.host-sidebar__channel { display: block; width: 100%; text-align: left; background: none; border: 0; color: var(--sidebar-text);
  padding: 6px 16px; font: inherit; opacity: 0.72; cursor: pointer; border-left: 4px solid transparent; }
.host-sidebar__channel[aria-current="page"] { opacity: 1; font-weight: 600; border-left-color: var(--sidebar-text-active-border);
  background: rgba(var(--sidebar-text-rgb), 0.16); }
.host-sidebar__icon { display: inline-block; width: 16px; opacity: 0.8; }
.host-center { display: flex; flex-direction: column; min-width: 0; border-right: 1px solid rgba(var(--center-channel-color-rgb), 0.12); }
.host-header { display: flex; align-items: center; gap: 12px; padding: 8px 16px; border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.12); }
.host-header__title { flex: 1; font-size: 16px; margin: 0; }
.host-btn { font: inherit; background: none; color: var(--center-channel-color); border: 1px solid rgba(var(--center-channel-color-rgb), 0.24);
  border-radius: 4px; padding: 4px 10px; cursor: pointer; }
.host-menu { position: relative; }
.host-menu__list { position: absolute; right: 0; top: 34px; z-index: 10; list-style: none; margin: 0; padding: 8px 0; min-width: 220px;
  background: var(--center-channel-bg); border: 1px solid rgba(var(--center-channel-color-rgb), 0.16); border-radius: 4px;
  box-shadow: 0 8px 24px rgba(0, 0, 0, 0.12); }
.host-menu__item { display: block; width: 100%; text-align: left; background: none; border: 0; color: var(--center-channel-color);
  font: inherit; padding: 6px 16px; cursor: pointer; }
.host-menu__item:hover { background: rgba(var(--center-channel-color-rgb), 0.08); }
.host-posts { flex: 1; overflow-y: auto; padding: 12px 16px; }
.host-post { display: flex; gap: 10px; padding: 6px 0; }
.host-post--reply { margin-left: 42px; }
.host-post__body { min-width: 0; flex: 1; }
.host-post__meta { display: flex; gap: 8px; align-items: baseline; }
.host-post__meta time { font-size: 12px; color: rgba(var(--center-channel-color-rgb), 0.64); }
.host-post__user { background: none; border: 0; padding: 0; font: inherit; font-weight: 600; color: var(--center-channel-color); cursor: pointer; }
.host-post__message { white-space: pre-wrap; }
.host-badge { font-size: 10px; font-weight: 600; padding: 0 4px; border-radius: 2px; background: rgba(var(--center-channel-color-rgb), 0.08); }
.host-avatar { border-radius: 50%; flex: none; }
.host-avatar--large { display: block; margin-bottom: 8px; }
.host-message-box { padding: 8px 16px 16px; }
.host-message-box__input { width: 100%; box-sizing: border-box; font: inherit; color: var(--center-channel-color);
  background: var(--center-channel-bg); border: 1px solid rgba(var(--center-channel-color-rgb), 0.24); border-radius: 4px; padding: 8px 12px; }
.host-message-box__error { color: var(--error-text); font-size: 12px; margin-top: 4px; }
.host-members { padding: 12px; overflow-y: auto; }
.host-members__title { font-size: 14px; margin: 0 0 8px; }
.host-members__list { list-style: none; margin: 0; padding: 0; }
.host-member { display: flex; gap: 8px; align-items: center; background: none; border: 0; color: var(--center-channel-color);
  font: inherit; padding: 4px; cursor: pointer; width: 100%; text-align: left; }
.host-popover { position: fixed; right: 232px; top: 64px; z-index: 20; width: 260px; padding: 16px; border-radius: 8px;
  background: var(--center-channel-bg); color: var(--center-channel-color); border: 1px solid rgba(var(--center-channel-color-rgb), 0.16);
  box-shadow: 0 12px 32px rgba(0, 0, 0, 0.2); display: flex; flex-direction: column; gap: 4px; }
.host-popover__name { font-weight: 600; font-size: 16px; }
.host-popover__actions { margin: 8px 0; }
.host-plugin-error { color: var(--error-text); }
`;
