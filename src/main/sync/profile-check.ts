/**
 * Whether the SCM import profile can be trusted before a package is sent. What SCM's *Generate
 * configurations* creates is not public, so the shipped default is a reasoned guess: sending it
 * blind would have every package fail, or import nothing, on a tenant shaped otherwise. The
 * profile is trusted once it was loaded from the data project's own export, chosen by the store's
 * IT (anything but the untouched default), or checked against SCM's data management entities by
 * Initialize (DataManagementDefinitionGroupDetails: the project, its entities, their source
 * format, whether they are enabled). Until then the SCM job sends nothing new; the lines wait.
 */
import { hash } from 'node:crypto';
import { DEFAULT_IMPORT_PROFILE, type ImportProfile } from '../../shared/import-profile';
import type { SyncStore } from '../ledger/sync-store';
import { type DataProjectEntity, isUpstreamError, type ScmClient } from '../upstream';

export type ProfileCheck =
  | { state: 'checked'; message: string }
  | { state: 'mismatch'; message: string }
  | { state: 'unreadable'; message: string };

const fingerprint = (profile: ImportProfile) => hash('sha256', JSON.stringify(profile), 'base64url');
const isShippedGuess = (profile: ImportProfile) =>
  fingerprint(profile) === fingerprint(DEFAULT_IMPORT_PROFILE);
const loadedFromExport = (profile: ImportProfile) =>
  !!profile.lines.manifestXml || !!profile.headers?.manifestXml;

/** Compares the profile with the project SCM lists; never throws an answer away unread. */
export async function checkProfile(scm: ScmClient, profile: ImportProfile): Promise<ProfileCheck> {
  let entities: DataProjectEntity[];
  try {
    entities = await scm.dataProjectEntities(profile.projectName);
  } catch (error) {
    if (!isUpstreamError(error) || error.kind === 'retry') throw error;
    return {
      state: 'unreadable',
      message: `SCM's data management entities could not be read (${error.message}), so the import profile is not checked. Load the data project's exported package under Settings › SCM (or give the app read access to data management).`,
    };
  }
  if (entities.length === 0)
    return {
      state: 'mismatch',
      message: `SCM has no data project named "${profile.projectName}". Load the project's exported package under Settings › SCM: the profile then takes its name, entities and columns.`,
    };
  const problems: string[] = [];
  for (const entity of [profile.headers, profile.lines]) {
    if (!entity) continue;
    const found = entities.find((e) => e.entityName.toLowerCase() === entity.entityName.toLowerCase());
    if (!found)
      problems.push(
        `it has no entity "${entity.entityName}" (it has ${entities.map((e) => `"${e.entityName}"`).join(', ')})`,
      );
    else if (found.disabled) problems.push(`its entity "${entity.entityName}" is disabled`);
    else if (found.sourceFormat !== '' && found.sourceFormat.toLowerCase() !== profile.format.toLowerCase())
      problems.push(`its entity "${entity.entityName}" takes ${found.sourceFormat}, not ${profile.format}`);
  }
  if (problems.length > 0)
    return {
      state: 'mismatch',
      message: `The data project "${profile.projectName}" in SCM does not match the import profile: ${problems.join('; ')}. Load the project's exported package under Settings › SCM.`,
    };
  return {
    state: 'checked',
    message: `SCM's data project "${profile.projectName}" has the profile's entities, enabled, in ${profile.format}. Its staging column names cannot be read from here: a wrong one shows on the first import, in SCM's words.`,
  };
}

/** Remembers that this exact profile was checked, so a changed profile needs a new check. */
export function noteProfileChecked(store: SyncStore, profile: ImportProfile): void {
  store.noteProfileChecked(fingerprint(profile));
}

/** Why SCM sending waits, in words, or null when the profile may be sent. */
export function profileWait(store: SyncStore, profile: ImportProfile): string | null {
  if (!isShippedGuess(profile) || loadedFromExport(profile)) return null;
  if (store.profileChecked() === fingerprint(profile)) return null;
  return (
    "SCM sending waits: the import profile is the shipped guess of SCM's data project and has not been checked. " +
    "Run Initialize (it reads SCM's data management entities), or load the data project's exported package under Settings › SCM. Lines wait safely in the ledger."
  );
}
