// A browser dev server for the renderer alone, with hot reload, in front of a running
// headless server:
//   npm run serve -- --data-dir .data          (prints "Store Ledger UI: http://127.0.0.1:7780/#token=…")
//   STORE_LEDGER_URL=http://127.0.0.1:7780 npx vite --config vite.renderer.config.mts
// then open http://127.0.0.1:5173/#token=… with the token the server printed.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const target = process.env.STORE_LEDGER_URL ?? 'http://127.0.0.1:7780';

/** React's hot-reload preamble is an inline script, which the production CSP forbids: dev only drops the meta tag. */
function devWithoutCsp(): Plugin {
  return {
    name: 'store-ledger-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, ''),
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  plugins: [react(), devWithoutCsp()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // The RPC transport, its event stream and the CSV export all live on the headless server.
    proxy: { '/rpc': { target }, '/api': { target }, '/health': { target } },
  },
});
