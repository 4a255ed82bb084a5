/**
 * Who may import whom: the one table of Store Ledger's layers. `npm run lint` checks every
 * import of src/ against it (dependency-cruiser, .dependency-cruiser.cjs: anything not listed
 * here is refused, and no cycles), and docs/architecture.md's map is generated from it
 * (`npm run docs:architecture`), so the map cannot drift from what the lint enforces.
 *
 * `unit` is a folder (or a single file) under src/; `may` lists the other units it may import
 * (its own folder is always allowed); `what` says what happens there, for the map.
 */

/** @type {{ unit: string, may: string[], what: string }[]} */
const UNITS = [
  // The contract every process agrees on.
  {
    unit: 'src/shared',
    may: [],
    what: 'The contract between processes: the RPC table with its zod inputs, entity and view shapes, settings, statuses, the text and number rules the screens and main share. Imports nothing of main, the renderer or Node.',
  },

  // The main process, bottom up.
  {
    unit: 'src/main/event-loop.ts',
    may: [],
    what: 'Keeping the event loop free: yielding between slices, foreground requests ahead of background work.',
  },
  {
    unit: 'src/main/ledger',
    may: ['src/shared'],
    what: 'The SQLite ledger: schema and one migration per file, every read and write, status transitions encoded in each UPDATE’s WHERE, the bulk-write and integrity-check workers.',
  },
  {
    unit: 'src/main/upstream',
    may: ['src/shared'],
    what: 'Talking to Dynamics 365: tokens, the IV and SCM HTTP clients, data packages and CSV, reading their answers (every plausible shape), redaction. Knows nothing of the ledger.',
  },
  {
    unit: 'src/main/errors.ts',
    may: ['src/main/ledger', 'src/shared'],
    what: 'Errors in words (AppError and its codes) and their one mapping to an answer body.',
  },
  {
    unit: 'src/main/config',
    may: ['src/main/errors.ts', 'src/main/ledger', 'src/main/upstream', 'src/shared'],
    what: 'The store’s settings, the client secret (encrypted) and the local API key.',
  },
  {
    unit: 'src/main/preferences',
    may: ['src/shared'],
    what: 'This PC’s preferences (window, theme, grids, forms), kept apart from the ledger.',
  },
  {
    unit: 'src/main/master-data',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The store’s copy of SCM’s items, barcodes, sites and warehouses: refresh, and the checks a scan or a line meets offline.',
  },
  {
    unit: 'src/main/onhand',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'On-hand at hand: IV’s on-hand query, kept for offline reading and for counts.',
  },
  {
    unit: 'src/main/ingest',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/master-data',
      'src/shared',
    ],
    what: 'The one entry pipeline: every way a line enters (API, Create, Scan, Count, drafts, corrections) is validated, reviewed (barcode, quantity) and written here.',
  },
  {
    unit: 'src/main/sync',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/onhand',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The sync engine: IV posting, aggregation, SCM journals through the data package (sync/scm: the crash-safe state machine), read-back, backoff, the scheduler, Initialize.',
  },
  {
    unit: 'src/main/corrections',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/sync',
      'src/shared',
    ],
    what: 'Void and Correct: a line taken back, offline or not, by an opposite line through the entry pipeline.',
  },
  {
    unit: 'src/main/counts',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/master-data',
      'src/main/onhand',
      'src/shared',
    ],
    what: 'Count mode: counted quantities, their differences from on-hand at Apply, pasted counts.',
  },
  {
    unit: 'src/main/drafts',
    may: ['src/main/errors.ts', 'src/main/event-loop.ts', 'src/main/ingest', 'src/main/ledger', 'src/shared'],
    what: 'Drafts: paste and CSV/XLSX import into rows a clerk repairs, then posts through the entry pipeline.',
  },
  {
    unit: 'src/main/export',
    may: ['src/main/event-loop.ts', 'src/main/ledger', 'src/main/master-data', 'src/shared'],
    what: 'Spreadsheet exports of the grids (XLSX), written in slices off the loop.',
  },
  {
    unit: 'src/main/diagnostics',
    may: ['src/main/event-loop.ts', 'src/main/ledger', 'src/main/upstream', 'src/shared'],
    what: 'The diagnostics bundle for store IT: a redacted zip of settings, counts, runs and an integrity check; it reads through a narrow interface, never the business layer.',
  },
  {
    unit: 'src/main/tenant-check',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/sync',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The tenant check store IT runs on a sandbox: asks SCM and IV what the client can only assume, writes a redacted report.',
  },
  {
    unit: 'src/main/rpc',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/corrections',
      'src/main/counts',
      'src/main/diagnostics',
      'src/main/drafts',
      'src/main/export',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/master-data',
      'src/main/onhand',
      'src/main/preferences',
      'src/main/sync',
      'src/main/tenant-check',
      'src/shared',
    ],
    what: 'The UI↔main contract’s handlers: one typed table (rpc/handlers.ts), every input checked by its zod schema in dispatch.',
  },
  {
    unit: 'src/main/business-layer.ts',
    may: [
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/corrections',
      'src/main/counts',
      'src/main/diagnostics',
      'src/main/drafts',
      'src/main/export',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/master-data',
      'src/main/onhand',
      'src/main/preferences',
      'src/main/rpc',
      'src/main/sync',
      'src/main/tenant-check',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'Wires the ledger, services, sync and handlers together; both shells (desktop and headless) start one.',
  },
  {
    unit: 'src/main/api',
    may: [
      'src/main/business-layer.ts',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/diagnostics',
      'src/main/drafts',
      'src/main/export',
      'src/main/ledger',
      'src/main/rpc',
      'src/shared',
    ],
    what: 'The loopback HTTP server: the adjustment API for store systems (API key), the browser UI’s RPC and upload routes (per-run token), static files, body limits, fair connections.',
  },
  {
    unit: 'src/main/server.ts',
    may: [
      'src/main/api',
      'src/main/business-layer.ts',
      'src/main/config',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/shared',
    ],
    what: 'The headless shell (`serve`): flags, provisioning, start-up words, the browser UI’s address.',
  },
  {
    unit: 'src/main/electron',
    may: [
      'src/main/api',
      'src/main/business-layer.ts',
      'src/main/config',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/preferences',
      'src/main/rpc',
      'src/shared',
    ],
    what: 'The desktop shell: window, tray, menu, IPC, OS-encrypted secrets, the renderer’s sandbox. The only main code that imports electron.',
  },

  // The window's side.
  {
    unit: 'src/preload',
    may: ['src/shared'],
    what: 'The window’s one door to main: exposes the typed RPC bridge, nothing else.',
  },
  {
    unit: 'src/renderer/src/rpc',
    may: ['src/shared'],
    what: 'The UI’s one call to main: IPC in the desktop window, HTTP and server-sent events in the browser.',
  },
  {
    unit: 'src/renderer/src/state',
    may: ['src/renderer/src/rpc', 'src/shared'],
    what: 'What the whole window shares: the route, this PC’s preferences, the sync status feed.',
  },
  {
    unit: 'src/renderer/src/components',
    may: ['src/renderer/src/rpc', 'src/renderer/src/state', 'src/shared'],
    what: 'Pieces several screens use: quantity input, status badges, error alerts, words and formats.',
  },
  {
    unit: 'src/renderer/src/pages',
    may: ['src/renderer/src/components', 'src/renderer/src/rpc', 'src/renderer/src/state', 'src/shared'],
    what: 'One folder per screen: Create, Scan, Count, Drafts, Transactions, On-hand, Sync status, Settings, Diagnostics.',
  },
  {
    unit: 'src/renderer/src/app',
    may: [
      'src/renderer/src/components',
      'src/renderer/src/pages',
      'src/renderer/src/rpc',
      'src/renderer/src/state',
      'src/shared',
    ],
    what: 'The window’s frame: navigation, header badges, theme, which page shows.',
  },
  {
    unit: 'src/renderer/src/env.d.ts',
    may: [],
    what: 'Ambient types for the renderer’s build (vite’s client types).',
  },
  {
    unit: 'src/renderer/src/main.tsx',
    may: ['src/renderer/src/app', 'src/renderer/src/rpc', 'src/renderer/src/styles.css', 'src/shared'],
    what: 'The renderer’s entry: mounts the app with Mantine’s theme.',
  },
];

/** Packages only one unit may import: Electron in the desktop shell and the preload. */
const ELECTRON_UNITS = ['src/main/electron', 'src/preload'];
/** Units that run in a browser (or must: the shared contract): no Node built-ins. */
const NO_NODE_UNITS = ['src/shared', 'src/renderer', 'src/preload'];

module.exports = { UNITS, ELECTRON_UNITS, NO_NODE_UNITS };
