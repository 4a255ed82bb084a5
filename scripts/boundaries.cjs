/**
 * Who may import whom: the one table of Store Ledger's layers. `npm run lint` checks every
 * import of src/ against it (scripts/check-boundaries.mjs: anything not listed here is
 * refused, and no cycles), and docs/architecture.md's map is generated from it
 * (`npm run docs:architecture`), so the map cannot drift from what the lint enforces.
 *
 * `unit` is a folder (or a single file) under src/; `may` lists the other units it may import
 * (its own folder is always allowed); `what` says what happens there, for the map; `parts`
 * names its sub-folders (they follow the unit's rules), so every folder has its line.
 */

/** @type {{ unit: string, may: string[], what: string, parts?: Record<string, string> }[]} */
const UNITS = [
  // The contract every process agrees on.
  {
    unit: 'src/shared',
    may: [],
    what: 'The contract both sides import: zod schemas (API body, settings, provisioning, mappings, list queries, preferences, counts, drafts), statuses and their allowed transitions, the typed RPC table and pushed events, one text rule, the CSV columns and their spreadsheet-safety rule. No Node, no DOM.',
  },

  // The main process, bottom up.
  {
    unit: 'src/main/event-loop.ts',
    may: [],
    what: 'The foreground/background scheduler that lets long work take turns with what people wait on; yielding between slices.',
  },
  {
    unit: 'src/main/clock',
    may: [],
    what: 'One source of time for the ledger and the sync engine (now, timers, sleep): the system clock in the app, a clock a test moves in the tests; `realNow()` for how long work really took.',
  },
  {
    unit: 'src/main/zipwork',
    may: [],
    what: 'Zip-based files read off the event loop: the zip’s limits (parts, unpacked size, ratio) checked from its directory and while unpacking, and a worker per file under a heap and time budget, refused in words.',
  },
  {
    unit: 'src/main/ledger',
    may: ['src/main/clock', 'src/shared'],
    what: 'The SQLite ledger: the only code that writes SQL (Kysely compiled, better-sqlite3 run), the stores per concern (lines, aggregated lines, sync history, counts, drafts, master data…), status transitions in each UPDATE’s WHERE, the bulk writer’s thread, the checkpointer, integrity checks, grid queries, health.',
    parts: {
      migrations:
        'The ledger’s format, one forward-only step per version, run in a transaction after a `VACUUM INTO` copy.',
    },
  },
  {
    unit: 'src/main/upstream',
    may: ['src/main/zipwork', 'src/shared'],
    what: 'HTTP clients for Entra, IV and SCM, with no ledger imports: tokens, the IV client and its bulk answer reading, the SCM data job (`scm-client.ts`), OData read-back (`scm-read-back.ts`), data packages and journal CSV, the import profile read from a project’s export, master-data reads, error classification, redaction.',
  },
  {
    unit: 'src/main/downloads',
    may: ['src/shared'],
    what: 'Files main has written for the clerk to save (an XLSX export, a diagnostics bundle), each offered once behind a random ID that expires: the browser fetches it, the desktop window saves it through its Save dialog.',
  },
  {
    unit: 'src/main/errors.ts',
    may: ['src/main/ledger', 'src/shared'],
    what: 'The app’s error type (a code and words, never a stack) that api, rpc and config share, and its one mapping to an answer body.',
  },
  {
    unit: 'src/main/config',
    may: ['src/main/errors.ts', 'src/main/ledger', 'src/main/upstream', 'src/shared'],
    what: 'Settings (validated, stored in the ledger, provisioning applied), the secret store (0600, or the OS keychain in the desktop app), the API key.',
  },
  {
    unit: 'src/main/people',
    may: ['src/main/clock', 'src/main/errors.ts', 'src/main/config', 'src/main/ledger', 'src/shared'],
    what: 'A store’s people: the first start (the first manager, or single clerk), the staff list, PINs and badges kept as slow hashes (scrypt off the event loop; a badge found by a keyed index), sign-in lockouts in words, each window’s server-side session and its idle end, who acts on a call (a person, a store system’s API key, the computer’s user) and the role check every RPC passes; the store systems’ API keys, named, shown once, kept as digests, revoked one by one.',
  },
  {
    unit: 'src/main/preferences',
    may: ['src/shared'],
    what: 'Preferences of this PC (window, theme, grids, forms): the schema’s version migrations, a bad file set aside, the headless JSON file.',
  },
  {
    unit: 'src/main/master-data',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The store’s copy of SCM’s items, barcodes, sites and warehouses: the 6-hourly refresh, lookups, and the cautions it adds to a line.',
  },
  {
    unit: 'src/main/onhand',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The On-hand view (RPC `onhand.get`, `GET …/onhand`): IV’s exact query (site and warehouse always named), the lines still pending here, the last answer kept for offline.',
  },
  {
    unit: 'src/main/audit',
    may: [
      'src/main/clock',
      'src/main/downloads',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/people',
      'src/shared',
    ],
    what: 'The append-only, hash-chained audit trail: who did what on which PC and when, done or refused, old and new values with secrets redacted; the lines chained in by one digest per write; its verification in slices, said in words; its CSV.',
  },
  {
    unit: 'src/main/ingest',
    may: [
      'src/main/audit',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/master-data',
      'src/shared',
    ],
    what: 'The one entry pipeline every line goes through: validate, normalise, read a barcode as its item, the scan-like and large quantity checks, the reason code (and the fields it fills), whether a manager must approve, master-data cautions, store all or nothing (or park what waits for a manager), idempotent by `id`.',
  },
  {
    unit: 'src/main/reasons',
    may: ['src/main/clock', 'src/main/ledger', 'src/main/people', 'src/shared'],
    what: 'The store’s reason codes as the screens and the API see them: the list, a manager’s changes (never a delete: inactive instead). The entry pipeline judges a line’s code (ingest/reason-rule.ts).',
  },
  {
    unit: 'src/main/approvals',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/people',
      'src/shared',
    ],
    what: 'A manager’s approval: the override (a manager’s PIN or badge sent beside an action, checked with the sign-in lockout, the action run approved by them), and the lines waiting for approval (outside the ledger’s lines, so never sent), approved through the entry pipeline exactly once, or refused with a reason.',
  },
  {
    unit: 'src/main/sync',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/ledger',
      'src/main/onhand',
      'src/main/upstream',
      'src/shared',
    ],
    what: 'The sync engine: scheduler, job runner, backoff, status, attempt log, Initialize, the IV job, aggregation, the import profile check, troubleshooting (Retry, DoNotSync).',
    parts: {
      scm: 'The SCM job: cutting journals into packages, sending them, following each message, reading back, settling lines from SCM’s answers, following SCM’s posting job (overdue, passed over).',
    },
  },
  {
    unit: 'src/main/corrections',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/sync',
      'src/shared',
    ],
    what: 'Void (a line IV cannot have counted, set aside with a reason) and Correct (a reversing line, and optionally the right one, linked to the original).',
  },
  {
    unit: 'src/main/counts',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/main/master-data',
      'src/main/onhand',
      'src/shared',
    ],
    what: 'Count mode: a count’s items and pasted blocks, and Apply, which asks IV for the on-hand at Apply and posts the differences through ingest.',
  },
  {
    unit: 'src/main/drafts',
    may: [
      'src/main/zipwork',
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ingest',
      'src/main/ledger',
      'src/shared',
    ],
    what: 'Draft batches: paste and CSV / XLSX import read into rows, each row judged by the entry pipeline, edits, re-import detection, Post batch through ingest.',
  },
  {
    unit: 'src/main/export',
    may: [
      'src/main/downloads',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/master-data',
      'src/shared',
    ],
    what: 'The Excel export (exceljs): typed cells, local times, written in slices that yield to the event loop.',
  },
  {
    unit: 'src/main/diagnostics',
    may: ['src/main/event-loop.ts', 'src/main/ledger', 'src/main/upstream', 'src/shared'],
    what: 'The diagnostics bundle: what goes in, blanking secrets and tokens, the integrity check and the zip made off the event loop; it reads through a narrow interface, never the business layer.',
  },
  {
    unit: 'src/main/tenant-check',
    may: [
      'src/main/clock',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/config',
      'src/main/sync',
      'src/main/upstream',
      'src/shared',
    ],
    what: '`npm run tenant-check` and *Check this tenant…*: asks a sandbox what Microsoft does not document, with zero-net test lines, and writes the report.',
  },
  {
    unit: 'src/main/zip-worker.ts',
    may: ['src/main/drafts', 'src/main/upstream', 'src/main/zipwork', 'src/shared'],
    what: 'The zip worker’s entry (its own build output, out/main/zip-worker.js): reads an XLSX workbook’s rows or a data project’s profile in a thread and answers plain data or a refusal in words.',
  },
  {
    unit: 'src/main/rpc',
    may: [
      'src/main/audit',
      'src/main/clock',
      'src/main/downloads',
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
      'src/main/people',
      'src/main/reasons',
      'src/main/approvals',
      'src/shared',
    ],
    what: 'The handler table behind the typed RPC contract; every transport (IPC, HTTP, the store API’s routes) dispatches into it: the caller’s role checked against the one table (shared/rpc-roles.ts), the input validated with the shared schema, the handler run as the actor, errors turned into data.',
  },
  {
    unit: 'src/main/business-layer.ts',
    may: [
      'src/main/audit',
      'src/main/clock',
      'src/main/downloads',
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
      'src/main/people',
      'src/main/reasons',
      'src/main/approvals',
      'src/shared',
    ],
    what: 'Builds the layer both shells run: ledger, settings, sync, services and the handler table.',
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
      'src/main/people',
      'src/shared',
    ],
    what: 'The loopback HTTP listener: the adjustment API and its reads and CSV exports, the store API (counts, drafts, on-hand, master data, diagnostics), the RPC’s HTTP transport and event stream, the built UI as static files; streaming body checks, fair connection limits, the loopback `Host` check.',
  },
  {
    unit: 'src/main/server.ts',
    may: [
      'src/main/clock',
      'src/main/api',
      'src/main/business-layer.ts',
      'src/main/config',
      'src/main/errors.ts',
      'src/main/event-loop.ts',
      'src/main/ledger',
      'src/main/people',
      'src/shared',
    ],
    what: 'The headless entry (`npm run serve`): flags, provisioning, printed addresses, words at start-up, clean stop.',
  },
  {
    unit: 'src/main/electron',
    may: [
      'src/main/clock',
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
    what: 'The only code that imports `electron`: the window, IPC (sender checks, schema validation), `safeStorage` secrets, electron-store preferences, the tray, the menu, quit and single-instance lifecycle, security settings, the log file, loading the Electron build of better-sqlite3.',
  },

  // The window's side.
  {
    unit: 'src/preload',
    may: ['src/shared'],
    what: '`contextBridge`: `invoke(name, input)` and `on(event, cb)`, nothing more.',
  },
  {
    unit: 'src/renderer/src/rpc',
    may: ['src/shared'],
    what: 'The RPC client (IPC in Electron; HTTP and a server-sent event stream in a browser), the per-run token and the tab’s person session, hooks.',
  },
  {
    unit: 'src/renderer/src/state',
    may: ['src/renderer/src/rpc', 'src/shared'],
    what: 'What the whole window shares: hash routes, this PC’s preferences, the sync status feed, who is signed in (and the auto-lock, and why a role may not act).',
  },
  {
    unit: 'src/renderer/src/components',
    may: ['src/renderer/src/rpc', 'src/renderer/src/state', 'src/shared'],
    what: 'Shared UI pieces: status badges, error alerts, the large-quantity and reason dialogs, the ledger health banner, number and date formatting in the screen’s language, the serial queue that keeps entry screens from waiting.',
  },
  {
    unit: 'src/renderer/src/pages',
    may: ['src/renderer/src/components', 'src/renderer/src/rpc', 'src/renderer/src/state', 'src/shared'],
    what: 'One folder per screen (below).',
    parts: {
      audit:
        'Audit trail (a manager’s): who did what, on which PC and when, in this PC’s time, filtered by person, action, outcome and day and paged on the server; Check the trail and its findings in words; a CSV of what the filters show.',
      count: 'The Count page: start a count, scan and count, paste, Apply and its dialogs.',
      create:
        'Create transaction: the form, dimensions editor, entry aids (what a barcode posts as), the posted confirmation, Developer reference.',
      diagnostics: 'The Diagnostics page: create and download a bundle.',
      drafts:
        'Drafts and import: drafts, paste and file import, rows to fix, row edit, Post batch and its questions.',
      onhand: 'The On-hand page.',
      approvals:
        'Waiting for approval: the one list of lines a manager decides (approve, or refuse with a reason the clerk sees), and the nav’s badge of how many wait.',
      reasons:
        'Reason codes (a manager’s): the list, the keys 1–9 they are chosen with, add and change a code.',
      scan: 'The Scan page: the scanner field, site and warehouse kept, cautions, recorded scans, the master-data card.',
      settings:
        'Settings: the feature, mappings, connection, SCM (import profile), Initialize and the tenant check, API keys per system, Entry (and the auto-lock), This PC; fields the person signed in may not change are disabled with the role they need.',
      people:
        'People (a manager’s): the staff list, adding and changing a person, a badge scanned into its field, single clerk or people signing in.',
      signin:
        'The first start (the first manager, or single clerk) and the sign-in screen: name and PIN (keyboard or pad), a badge scanned anywhere on the screen.',
      sync: 'Sync status: job cards, status counts, errors grouped by cause, recent runs.',
      transactions:
        'Inventory transactions: the detailed and aggregated grids, filters, columns, drawers, attempt log, Void/Correct, Retry/DoNotSync, exports, the link to SCM.',
    },
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
    what: 'The frame: navigation, theme and its switch, the header’s status indicators and the person signed in (Switch person), which page shows once someone is signed in (the first start or sign-in before that).',
  },
  {
    unit: 'src/renderer/src/env.d.ts',
    may: [],
    what: 'Ambient types for the renderer’s build (vite’s client types).',
  },
  {
    unit: 'src/renderer/src/main.tsx',
    may: ['src/renderer/src/app', 'src/renderer/src/rpc', 'src/renderer/src/styles.css', 'src/shared'],
    what: 'Mounts the React + Mantine UI with its theme.',
  },
];

/** Packages only one unit may import: Electron in the desktop shell and the preload. */
const ELECTRON_UNITS = ['src/main/electron', 'src/preload'];
/** Units that run in a browser (or must: the shared contract): no Node built-ins. */
const NO_NODE_UNITS = ['src/shared', 'src/renderer', 'src/preload'];

module.exports = { UNITS, ELECTRON_UNITS, NO_NODE_UNITS };
