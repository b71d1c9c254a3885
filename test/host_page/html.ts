// The host page's HTML: Mattermost's theme variables (Denim light, Onyx dark, as the webapp sets them on :root),
// the boot data, the host app and then the plugin bundle, loaded like the webapp loads plugins.

export type Theme = 'light' | 'dark';

/** Colours of Mattermost's built-in Denim and Onyx themes (webapp utils/constants.tsx THEMES). */
const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    'sidebar-bg': '#1e325c', 'sidebar-text': '#ffffff', 'sidebar-header-bg': '#192a4d', 'sidebar-text-active-border': '#5d89ea',
    'center-channel-bg': '#ffffff', 'center-channel-color': '#3f4350', 'new-message-separator': '#cc8f00',
    'link-color': '#386fe5', 'button-bg': '#1c58d9', 'button-color': '#ffffff', 'error-text': '#d24b4e',
    'online-indicator': '#3db887', 'away-indicator': '#ffbc1f', 'dnd-indicator': '#d24b4e', 'mention-bg': '#ffffff',
  },
  dark: {
    'sidebar-bg': '#202228', 'sidebar-text': '#ffffff', 'sidebar-header-bg': '#24272d', 'sidebar-text-active-border': '#4a7ebb',
    'center-channel-bg': '#191b1f', 'center-channel-color': '#e3e4e8', 'new-message-separator': '#1adbdb',
    'link-color': '#5d89ea', 'button-bg': '#4a7ebb', 'button-color': '#ffffff', 'error-text': '#da6c6e',
    'online-indicator': '#3db887', 'away-indicator': '#f5ab00', 'dnd-indicator': '#d24b4e', 'mention-bg': '#ffffff',
  },
};

function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}`;
}

/** `--center-channel-bg: #fff; --center-channel-bg-rgb: 255, 255, 255; …` like applyTheme() in the webapp. */
export function themeVariables(theme: Theme): string {
  return Object.entries(THEMES[theme]).map(([k, v]) => `--${k}: ${v}; --${k}-rgb: ${rgb(v)};`).join(' ')
    + ` --error-text-color-rgb: ${rgb(THEMES[theme]['error-text'] ?? '#d24b4e')};`;
}

export interface BootData {
  readonly teamId: string;
  readonly channelId: string;
  readonly theme: Theme;
  /** Bundles to load, or null to ask the server (`GET /api/v4/plugins/webapp`) like the webapp does. */
  readonly plugins: readonly {id: string; bundleUrl: string}[] | null;
}

export function renderPage(boot: BootData): string {
  // JSON inside <script>: escape "<" so no value can close the tag.
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en" data-theme="${boot.theme}">
<head>
<meta charset="utf-8">
<title>Offboarding host page</title>
<style>
:root { ${themeVariables(boot.theme)} color-scheme: ${boot.theme}; }
html, body { margin: 0; height: 100%; font-family: "Open Sans", "Segoe UI", Arial, sans-serif; font-size: 14px;
  background: var(--center-channel-bg); color: var(--center-channel-color); }
</style>
</head>
<body>
<div id="root"></div>
<script>window.__HOST_BOOT__ = ${json};</script>
<script src="/static/host.js"></script>
</body>
</html>`;
}
