import { type ActorView, ROLE_WORDS, type Role, roleAtLeast } from './people';
import type { RpcName } from './rpc';

/**
 * The one table of who may call what: every RPC name, the least role allowed, and what the
 * action is in words (for a refusal that names the role it needs). Main enforces it in
 * dispatch for every transport (IPC, HTTP, the store API's routes); the UI reads it to hide or
 * disable what the person signed in may not do. `anyone` needs nobody signed in (signing in
 * itself, the first start, this PC's display preferences). A Record over RpcName: an RPC added
 * to the contract without a line here fails the type check (and test/people/roles.test.ts).
 *
 * Some checks go finer than the action, in the handler: voiding or correcting another
 * person's line needs a manager; settings that decide where or as whom Store Ledger connects
 * need an administrator; a manager adds clerks and managers, an administrator administrators.
 */
export type Needs = 'anyone' | Role;

export const RPC_ROLES: Record<RpcName, { needs: Needs; doing: string }> = {
  'app.info': { needs: 'anyone', doing: 'Reading the app’s version' },
  'lines.create': { needs: 'clerk', doing: 'Entering a line' },
  'lines.list': { needs: 'clerk', doing: 'Looking at lines' },
  'lines.get': { needs: 'clerk', doing: 'Looking at a line' },
  'lines.attempts': { needs: 'clerk', doing: 'Looking at a line’s attempts' },
  'lines.void': { needs: 'clerk', doing: 'Voiding a line' },
  'lines.correct': { needs: 'clerk', doing: 'Correcting a line' },
  'aggregated.list': { needs: 'clerk', doing: 'Looking at aggregated lines' },
  'aggregated.get': { needs: 'clerk', doing: 'Looking at an aggregated line' },
  'aggregated.attempts': { needs: 'clerk', doing: 'Looking at an aggregated line’s attempts' },
  'aggregated.retry': { needs: 'manager', doing: 'Retrying lines SCM refused' },
  'aggregated.markDoNotSync': { needs: 'manager', doing: 'Marking lines DoNotSync' },
  'suggestions.get': { needs: 'clerk', doing: 'Reading entry suggestions' },
  'settings.get': { needs: 'clerk', doing: 'Looking at the settings' },
  'settings.update': { needs: 'manager', doing: 'Changing settings' },
  'settings.loadImportProfile': { needs: 'administrator', doing: 'Loading SCM’s import profile' },
  'mappings.list': { needs: 'clerk', doing: 'Looking at the mappings' },
  'mappings.upsert': { needs: 'manager', doing: 'Changing a mapping' },
  'mappings.delete': { needs: 'manager', doing: 'Deleting a mapping' },
  'apiKeys.list': { needs: 'administrator', doing: 'Looking at the API keys' },
  'apiKeys.create': { needs: 'administrator', doing: 'Creating an API key' },
  'apiKeys.revoke': { needs: 'administrator', doing: 'Revoking an API key' },
  'sync.status': { needs: 'clerk', doing: 'Looking at the sync status' },
  'sync.run': { needs: 'clerk', doing: 'Syncing now' },
  'sync.runs': { needs: 'clerk', doing: 'Looking at recent sync runs' },
  'sync.initialize': { needs: 'administrator', doing: 'Initializing the connection' },
  'sync.tenantCheck': { needs: 'administrator', doing: 'Checking the tenant' },
  'ledger.health': { needs: 'clerk', doing: 'Reading the ledger’s health' },
  'ledger.integrityCheck': { needs: 'clerk', doing: 'Checking the ledger' },
  'export.xlsx': { needs: 'clerk', doing: 'Exporting lines' },
  'files.save': { needs: 'clerk', doing: 'Saving a file' },
  'preferences.get': { needs: 'anyone', doing: 'Reading this PC’s preferences' },
  'preferences.update': { needs: 'anyone', doing: 'Changing this PC’s preferences' },
  'masterData.status': { needs: 'clerk', doing: 'Looking at SCM’s master data' },
  'masterData.refresh': { needs: 'clerk', doing: 'Refreshing SCM’s master data' },
  'masterData.lookup': { needs: 'clerk', doing: 'Looking up an item' },
  'masterData.checkPlace': { needs: 'clerk', doing: 'Checking a site and warehouse' },
  'masterData.entryCheck': { needs: 'clerk', doing: 'Looking at a line’s entry check' },
  'drafts.list': { needs: 'clerk', doing: 'Looking at drafts' },
  'drafts.create': { needs: 'clerk', doing: 'Creating a draft' },
  'drafts.get': { needs: 'clerk', doing: 'Looking at a draft' },
  'drafts.paste': { needs: 'clerk', doing: 'Pasting into a draft' },
  'drafts.import': { needs: 'clerk', doing: 'Importing a file into a draft' },
  'drafts.editRow': { needs: 'clerk', doing: 'Editing a draft’s row' },
  'drafts.deleteRow': { needs: 'clerk', doing: 'Deleting a draft’s row' },
  'drafts.deleteBlock': { needs: 'clerk', doing: 'Deleting a draft’s file or block' },
  'drafts.post': { needs: 'clerk', doing: 'Posting a draft' },
  'drafts.delete': { needs: 'clerk', doing: 'Deleting a draft' },
  'diagnostics.create': { needs: 'clerk', doing: 'Creating a diagnostics bundle' },
  'onhand.get': { needs: 'clerk', doing: 'Looking at on-hand' },
  'counts.list': { needs: 'clerk', doing: 'Looking at counts' },
  'counts.create': { needs: 'clerk', doing: 'Starting a count' },
  'counts.get': { needs: 'clerk', doing: 'Looking at a count' },
  'counts.record': { needs: 'clerk', doing: 'Counting an item' },
  'counts.apply': { needs: 'manager', doing: 'Applying a count' },
  'counts.paste': { needs: 'clerk', doing: 'Pasting counted items' },
  'counts.removeItem': { needs: 'clerk', doing: 'Removing a counted item' },
  'session.get': { needs: 'anyone', doing: 'Reading who is signed in' },
  'session.signIn': { needs: 'anyone', doing: 'Signing in' },
  'session.signOut': { needs: 'anyone', doing: 'Signing out' },
  'people.setup': { needs: 'anyone', doing: 'Setting up how people sign in' },
  'people.list': { needs: 'manager', doing: 'Looking at the store’s people' },
  'people.create': { needs: 'manager', doing: 'Adding a person' },
  'people.update': { needs: 'manager', doing: 'Changing a person' },
  'people.setMode': { needs: 'administrator', doing: 'Changing how people sign in' },
  'audit.list': { needs: 'manager', doing: 'Looking at the audit trail' },
  'audit.verify': { needs: 'manager', doing: 'Checking the audit trail' },
  'audit.status': { needs: 'clerk', doing: 'Reading the audit trail’s last check' },
  'audit.export': { needs: 'manager', doing: 'Exporting the audit trail' },
  'reasons.list': { needs: 'clerk', doing: 'Looking at the reason codes' },
  'reasons.upsert': { needs: 'manager', doing: 'Changing a reason code' },
  'approvals.list': { needs: 'clerk', doing: 'Looking at the lines waiting for approval' },
  'approvals.count': { needs: 'clerk', doing: 'Counting the lines waiting for approval' },
  'approvals.approve': { needs: 'manager', doing: 'Approving a waiting line' },
  'approvals.refuse': { needs: 'manager', doing: 'Refusing a waiting line' },
};

/** Whether this actor (or nobody) may call this RPC at all. */
export function mayCall(actor: Pick<ActorView, 'role'> | null, name: RpcName): boolean {
  const { needs } = RPC_ROLES[name];
  return needs === 'anyone' || (actor !== null && roleAtLeast(actor.role, needs));
}

/**
 * The refusal's words: what was refused, the role it needs, and what to do, e.g. "Applying a
 * count needs a manager: ask one to sign in." A store system is told about its key instead.
 */
export function refusalWords(doing: string, needs: Role, actor: Pick<ActorView, 'kind' | 'name'>): string {
  const who = ROLE_WORDS[needs].aRole;
  if (actor.kind === 'system')
    return `${doing} needs ${who}: the API key '${actor.name}' is not allowed to. An administrator can give a system a key with that role under Settings → API keys.`;
  return `${doing} needs ${who}: ask one to sign in.`;
}

/** The reason a button is disabled for this actor, or null when it may act. */
export function whyNot(actor: ActorView | null, name: RpcName): string | null {
  if (mayCall(actor, name)) return null;
  const { needs, doing } = RPC_ROLES[name];
  if (needs === 'anyone' || actor === null) return `${doing} needs someone signed in.`;
  return refusalWords(doing, needs, actor);
}
