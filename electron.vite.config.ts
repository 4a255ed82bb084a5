import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          // The Electron shell, and the same business layer headless (npm run serve).
          index: resolve(__dirname, 'src/main/electron/main.ts'),
          server: resolve(__dirname, 'src/main/server.ts'),
          // The tenant check for a store's IT on a sandbox (npm run tenant-check).
          'tenant-check': resolve(__dirname, 'src/main/tenant-check/cli.ts'),
          // The thread that reads XLSX workbooks and data packages off the event loop
          // (src/main/zipwork/run.ts starts it from beside the entries).
          'zip-worker': resolve(__dirname, 'src/main/zip-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      minify: true,
      rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
