import { hash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { fieldErrors } from '../../shared/adjustment';
import { mappingKey } from '../../shared/mappings';
import {
  type Provisioning,
  provisioningSchema,
  type Settings,
  type SettingsPatch,
  type SettingsView,
} from '../../shared/settings';
import { InputError } from '../errors';
import type { Ledger } from '../ledger';
import type { UpstreamConnection } from '../upstream/config';
import { ImportProfileError, type ReadProfile, readImportProfile } from '../upstream/import-profile-reader';
import type { SecretStore } from './secret-store';

const CLIENT_SECRET = 'clientSecret';
/** Fingerprint of the provisioning file last applied. */
const PROVISIONING_KEY = 'provisioning.applied';

/**
 * The feature's settings: stored in the ledger, except the client secret (SecretStore).
 * Emits 'changed' after every successful change so the scheduler reacts at once.
 */
export class SettingsService extends EventEmitter<{ changed: [Settings] }> {
  constructor(
    private readonly ledger: Ledger,
    private readonly secrets: SecretStore,
  ) {
    super();
  }

  read(): Settings {
    return this.ledger.settings.read();
  }

  view(): SettingsView {
    return { ...this.read(), hasClientSecret: this.secrets.get(CLIENT_SECRET) !== null };
  }

  /**
   * Applies a validated patch. A change to anything that decides where or as whom we
   * connect clears *Is feature initialized*: the checks that set it no longer hold.
   */
  update(patch: SettingsPatch): SettingsView {
    const current = this.read();
    const { clientSecret, ...connection } = patch.connection ?? {};
    const next: Settings = {
      ...current,
      ...(patch.environmentId !== undefined && { environmentId: patch.environmentId }),
      ...(patch.enableFeature !== undefined && { enableFeature: patch.enableFeature }),
      ...(patch.defaultOrganizationId !== undefined && {
        defaultOrganizationId: patch.defaultOrganizationId,
      }),
      connection: { ...current.connection, ...stripUndefined(connection) },
      transactions: { ...current.transactions, ...stripUndefined(patch.transactions ?? {}) },
      entry: { ...current.entry, ...stripUndefined(patch.entry ?? {}) },
      approvals: { ...current.approvals, ...stripUndefined(patch.approvals ?? {}) },
      signIn: { ...current.signIn, ...stripUndefined(patch.signIn ?? {}) },
      ...(patch.diagnosticsBundlesKept !== undefined && {
        diagnosticsBundlesKept: patch.diagnosticsBundlesKept,
      }),
    };
    const secretChanged = clientSecret !== undefined && clientSecret !== this.secrets.get(CLIENT_SECRET);
    const connectionChanged =
      secretChanged ||
      next.environmentId !== current.environmentId ||
      JSON.stringify(next.connection) !== JSON.stringify(current.connection) ||
      next.transactions.fnoAdjustmentIntegrationActivityId !==
        current.transactions.fnoAdjustmentIntegrationActivityId;
    if (connectionChanged) next.isFeatureInitialized = false;
    if (secretChanged) this.secrets.set(CLIENT_SECRET, clientSecret);
    this.ledger.settings.write(next);
    this.emit('changed', next);
    return this.view();
  }

  /**
   * Replaces the SCM import profile with the one the data project's exported package describes
   * (docs/dynamics-contract.md §1). A package in flight keeps going: it is rebuilt from the
   * ledger and, after an unknown outcome, read back before any line is sent again. The package
   * is read in the zip worker; nothing changes until it has answered.
   */
  async loadImportProfile(bytes: Uint8Array): Promise<{ settings: SettingsView; notes: string[] }> {
    let read: ReadProfile;
    try {
      read = await readImportProfile(bytes);
    } catch (error) {
      if (error instanceof ImportProfileError)
        throw new InputError('The data project could not be used', [
          { field: 'scmImportProfile', message: error.message },
        ]);
      throw error;
    }
    return { settings: this.update({ transactions: { scmImportProfile: read.profile } }), notes: read.notes };
  }

  setInitialized(value: boolean): void {
    const current = this.read();
    if (current.isFeatureInitialized === value) return;
    const next = { ...current, isFeatureInitialized: value };
    this.ledger.settings.write(next);
    this.emit('changed', next);
  }

  /**
   * A provisioning file (`--config`), validated whole before anything changes. It is
   * applied when it is new or has changed since it was last applied, so settings a
   * clerk changed on the settings page survive restarts until IT ships a new file.
   */
  applyProvisioning(
    raw: unknown,
    hooks: { apiKeys?: (keys: NonNullable<Provisioning['apiKeys']>) => void } = {},
  ): 'applied' | 'unchanged' {
    const parsed = provisioningSchema.safeParse(raw);
    if (!parsed.success)
      throw new InputError('The provisioning file is not valid', fieldErrors(parsed.error));
    const p: Provisioning = parsed.data;
    const keys = new Set<string>();
    for (const m of p.mappings ?? []) {
      const key = mappingKey(m.physicalMeasure);
      if (keys.has(key))
        throw new InputError('The provisioning file is not valid', [
          { field: 'mappings', message: `lists the physical measure '${m.physicalMeasure}' twice` },
        ]);
      keys.add(key);
    }
    const names = new Set<string>();
    for (const k of p.apiKeys ?? []) {
      const name = k.name.toLowerCase();
      if (names.has(name))
        throw new InputError('The provisioning file is not valid', [
          { field: 'apiKeys', message: `names the key '${k.name}' twice` },
        ]);
      names.add(name);
    }
    const fingerprint = hash('sha256', JSON.stringify(p), 'base64url');
    if (this.ledger.settings.readValue(PROVISIONING_KEY) === fingerprint) return 'unchanged';
    this.ledger.writeNow(() => {
      this.update({
        environmentId: p.environmentId,
        enableFeature: p.enableFeature,
        defaultOrganizationId: p.defaultOrganizationId,
        connection: p.connection,
        transactions: p.transactions,
        entry: p.entry,
        approvals: p.approvals,
        signIn: p.signIn,
        diagnosticsBundlesKept: p.diagnosticsBundlesKept,
      });
      if (p.mappings) this.ledger.mappings.replaceAll(p.mappings);
      // In the same transaction: a key refused (a revoked one listed again) changes nothing.
      if (p.apiKeys) hooks.apiKeys?.(p.apiKeys);
      this.ledger.settings.writeValue(PROVISIONING_KEY, fingerprint);
    });
    return 'applied';
  }

  /** The upstream connection, or null while any part of it is missing. */
  connection(timeoutMs?: number): UpstreamConnection | null {
    const s = this.read();
    const secret = this.secrets.get(CLIENT_SECRET);
    const c = s.connection;
    const activityId = s.transactions.fnoAdjustmentIntegrationActivityId;
    if (
      !s.environmentId ||
      !c.tenantId ||
      !c.clientId ||
      !secret ||
      !c.ivEndpoint ||
      !c.fnoEnvironmentUrl ||
      !activityId
    )
      return null;
    return {
      authorityHost: c.authorityHost,
      tenantId: c.tenantId,
      clientId: c.clientId,
      clientSecret: secret,
      ivEndpoint: c.ivEndpoint,
      ivSecurityServiceUrl: c.ivSecurityServiceUrl,
      environmentId: s.environmentId,
      fnoEnvironmentUrl: c.fnoEnvironmentUrl,
      activityId,
      ...(timeoutMs !== undefined && { timeoutMs }),
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
