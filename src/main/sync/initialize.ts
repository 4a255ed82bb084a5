import type { ImportProfile } from '../../shared/import-profile';
import { missingConnectionSettings } from '../../shared/settings';
import type { InitializeCheck, InitializeResult } from '../../shared/sync-status';
import type { SettingsService } from '../config/settings-service';
import type { SyncStore } from '../ledger/sync-store';
import type { IvClient, ScmClient } from '../upstream';
import { adviceFor, classify } from './errors';
import { checkProfile, noteProfileChecked, profileWait } from './profile-check';

export interface InitializeDeps {
  store: SyncStore;
  settings: SettingsService;
  clients: () => { iv: IvClient; scm: ScmClient } | null;
  reached: (service: 'iv' | 'scm', reachable: boolean) => void;
}

const PING = '__storeledger_ping__';

const ADVICE: Record<string, string> = {
  config: 'Check the connection settings (tenant, client ID and secret, URLs, environment ID).',
  data: 'The service refused the check request.',
  retry: 'The service did not answer; it is retried.',
};

async function check(
  name: InitializeCheck['name'],
  label: string,
  okMessage: string,
  fn: () => Promise<void>,
  reached?: (reachable: boolean) => void,
): Promise<InitializeCheck> {
  try {
    await fn();
    reached?.(true);
    return { name, label, ok: true, message: okMessage };
  } catch (error) {
    const c = classify(error);
    reached?.(c.status !== null);
    return { name, label, ok: false, message: `${c.message} ${adviceFor(c) ?? ADVICE[c.kind] ?? ''}`.trim() };
  }
}

/**
 * *Initialize*, as the business layer's feature page has it
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes):
 * the ledger is usable, the settings are complete, IV and SCM
 * accept our credentials, and SCM knows the integration activity. Sets *Is feature
 * initialized* only when every check passes; each check says what it found.
 */
export async function initialize(deps: InitializeDeps): Promise<InitializeResult> {
  const checks: InitializeCheck[] = [];
  let ledgerOk = true;
  try {
    const { version, filePath } = deps.store.readCheck();
    checks.push({
      name: 'ledger',
      label: 'Ledger',
      ok: true,
      message: `The ledger is open and readable (format ${version}): ${filePath}`,
    });
  } catch (error) {
    ledgerOk = false;
    checks.push({
      name: 'ledger',
      label: 'Ledger',
      ok: false,
      message: `The ledger cannot be read: ${(error as Error).message}`,
    });
  }

  const view = deps.settings.view();
  const missing = missingConnectionSettings(view, view.hasClientSecret);
  checks.push({
    name: 'settings',
    label: 'Settings',
    ok: missing.length === 0,
    message:
      missing.length === 0
        ? 'Every connection setting is filled in.'
        : `Fill in these settings first: ${missing.join(', ')}.`,
  });
  const clients = missing.length === 0 ? deps.clients() : null;
  if (!clients) {
    const notChecked = 'Not checked: complete the settings first.';
    checks.push(
      { name: 'iv', label: 'Inventory Visibility', ok: false, message: notChecked },
      { name: 'scm', label: 'Supply Chain Management', ok: false, message: notChecked },
      { name: 'activity', label: 'SCM integration activity', ok: false, message: notChecked },
    );
    return { initialized: false, checks };
  }

  checks.push(
    await check(
      'iv',
      'Inventory Visibility',
      'Inventory Visibility answered: the token exchange and the environment ID are accepted.',
      () => clients.iv.ping(),
      (r) => deps.reached('iv', r),
    ),
  );
  let deletes = '';
  const scm = await check(
    'scm',
    'Supply Chain Management',
    'Supply Chain Management answered: the token is accepted, and the journal headers entity has IsPosted, PostedDateTime and InventoryServiceJournalExpectedStatus.',
    async () => {
      await clients.scm.readJournalHeaders([{ dataAreaId: PING, journalNumber: PING }]);
      deletes = await linesDeletedAfterPosting(deps.store, clients.scm);
    },
    (r) => deps.reached('scm', r),
  );
  if (scm.ok && deletes) scm.message = `${scm.message} ${deletes}`;
  checks.push(scm);
  checks.push(
    scm.ok
      ? await activityCheck(
          deps.store,
          clients.scm,
          view.transactions.fnoAdjustmentIntegrationActivityId ?? '',
        )
      : {
          name: 'activity',
          label: 'SCM integration activity',
          ok: false,
          message: 'Not checked: Supply Chain Management did not answer.',
        },
  );

  checks.push(
    scm.ok
      ? await profileCheck(
          deps.store,
          clients.scm,
          view.transactions.scmImportProfile,
          view.transactions.fnoSyncMaxJournalCountInPackage,
        )
      : {
          name: 'profile',
          label: 'SCM import profile',
          ok: false,
          message: 'Not checked: Supply Chain Management did not answer.',
        },
  );

  const initialized = ledgerOk && checks.every((c) => c.ok);
  if (initialized) deps.settings.setInitialized(true);
  return { initialized, checks };
}

/**
 * Whether the journal names this ledger's journals use delete a journal's lines once it is posted
 * (the headers entity's AreLinesDeletedAfterPosting): said, so IT knows why a posted journal is
 * found by its description (sync/scm/read-back.ts postedWithoutLines). Nothing when none is known.
 */
async function linesDeletedAfterPosting(store: SyncStore, scm: ScmClient): Promise<string> {
  const recent = store.batches.recentJournals();
  if (recent.length === 0) return '';
  const headers = await scm.readJournalHeaders(
    recent.map((j) => ({ dataAreaId: j.organization_id, journalNumber: j.journal_number })),
  );
  const deleting = headers.filter((h) => h.linesDeletedAfterPosting === true);
  if (deleting.length === 0) return '';
  return `Journal ${deleting.map((h) => h.journalNumber).join(', ')} ${deleting.length === 1 ? 'uses a journal name that deletes' : 'use journal names that delete'} a journal's lines once it is posted: Store Ledger then finds a posted journal by its description, so no line is sent twice.`;
}

/**
 * The integration activity: verified by SCM's answer for an unknown message when that answer can
 * only come from a found activity, or by an earlier package's job status; otherwise passed with
 * a warning, so that sync runs and the first package confirms it (ScmClient.ping says why).
 */
async function activityCheck(store: SyncStore, scm: ScmClient, activityId: string): Promise<InitializeCheck> {
  const base = { name: 'activity', label: 'SCM integration activity' } as const;
  try {
    const probe = await scm.ping();
    if (probe.verified)
      return { ...base, ok: true, message: `SCM knows the integration activity ${activityId}.` };
    const confirmed = store.activityConfirmation(activityId);
    if (confirmed)
      return {
        ...base,
        ok: true,
        message: `SCM's job status confirmed the integration activity ${activityId}${confirmed.dataProject ? ` (data project "${confirmed.dataProject}")` : ''} when it imported a package.`,
      };
    return {
      ...base,
      ok: true,
      warning: true,
      message:
        `Not verified yet: SCM answered the check for an unknown message with ${probe.answer}, which does not say whether it knows activity ${activityId}. ` +
        "Sync runs; the first package's job status confirms the activity. If that package is refused, check the activity ID under Recurring data jobs in SCM.",
    };
  } catch (error) {
    const c = classify(error);
    return { ...base, ok: false, message: `${c.message} ${adviceFor(c) ?? ADVICE[c.kind] ?? ''}`.trim() };
  }
}

/**
 * The import profile: what will be sent, and whether it can be trusted (profile-check.ts). A
 * profile that is not checked is a warning, never a failed Initialize: IV goes on, and the SCM
 * job sends nothing new until it is loaded or checked.
 */
async function profileCheck(
  store: SyncStore,
  scm: ScmClient,
  profile: ImportProfile,
  journalsPerPackage: number,
): Promise<InitializeCheck> {
  const entities = [profile.headers, profile.lines]
    .filter((e) => e !== null)
    .map((e) => `${e.entityName} (${e.fileName}, ${e.columns.length} columns)`)
    .join(' and ');
  const shape =
    profile.kind === 'package'
      ? `data packages of up to ${journalsPerPackage} journal(s) holding ${entities}`
      : `single ${profile.format} files for ${entities}`;
  const caveat =
    profile.kind === 'file'
      ? " A single-file project has no journal header: SCM applies the project's own expected status, whatever the mapping says."
      : '';
  const sent = `Journals go to data project "${profile.projectName}" as ${shape}, in ${profile.format}.${caveat}`;
  const base = { name: 'profile', label: 'SCM import profile', ok: true } as const;
  if (profileWait(store, profile) === null && store.profileChecked() === null)
    return {
      ...base,
      message: `${sent} The profile was loaded from the data project's export or set by IT.`,
    };
  try {
    const check = await checkProfile(scm, profile);
    if (check.state === 'checked') {
      await store.write(() => noteProfileChecked(store, profile));
      return { ...base, message: `${sent} ${check.message}` };
    }
    const waits = profileWait(store, profile);
    return {
      ...base,
      warning: true,
      message: `${sent} ${check.message}${waits ? ` ${waits}` : ''}`,
    };
  } catch (error) {
    const c = classify(error);
    return { ...base, warning: true, message: `${sent} Not checked: ${c.message}` };
  }
}
