/**
 * The upstream connection the tenant check uses, from a provisioning file (the CLI) or from the
 * saved settings (the app): the same keys, the same defaults, nothing of the ledger needed.
 */
import { DEFAULT_IMPORT_PROFILE, type ImportProfile } from '../../shared/import-profile';
import { connectionSettingsSchema, type Provisioning } from '../../shared/settings';
import type { UpstreamConnection } from '../upstream/config';

export interface ProvisionedTarget {
  conn: UpstreamConnection | null;
  /** The keys still missing, as the provisioning file names them. */
  missing: string[];
  profile: ImportProfile;
  defaultOrganizationId: string | null;
}

export function targetFromProvisioning(p: Provisioning): ProvisionedTarget {
  const { clientSecret, ...rest } = p.connection ?? {};
  // Defaults as the settings have them (Entra's and IV's security service hosts).
  const c = connectionSettingsSchema.parse(rest);
  const activityId = p.transactions?.fnoAdjustmentIntegrationActivityId ?? null;
  const missing = [
    ['connection.tenantId', c.tenantId],
    ['connection.clientId', c.clientId],
    ['connection.clientSecret', clientSecret],
    ['connection.ivEndpoint', c.ivEndpoint],
    ['connection.fnoEnvironmentUrl', c.fnoEnvironmentUrl],
    ['transactions.fnoAdjustmentIntegrationActivityId', activityId],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k as string);
  const conn: UpstreamConnection | null =
    missing.length > 0
      ? null
      : {
          authorityHost: c.authorityHost,
          tenantId: c.tenantId!,
          clientId: c.clientId!,
          clientSecret: clientSecret!,
          ivEndpoint: c.ivEndpoint!,
          ivSecurityServiceUrl: c.ivSecurityServiceUrl,
          environmentId: p.environmentId,
          fnoEnvironmentUrl: c.fnoEnvironmentUrl!,
          activityId: activityId!,
        };
  return {
    conn,
    missing,
    profile: p.transactions?.scmImportProfile ?? DEFAULT_IMPORT_PROFILE,
    defaultOrganizationId: p.defaultOrganizationId ?? null,
  };
}
