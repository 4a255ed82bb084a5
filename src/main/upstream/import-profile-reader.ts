/**
 * Loads an import profile from the data project's exported package (a zip) or its
 * Manifest.xml, in the zip worker (zipwork/run.ts; the reading is import-profile-manifest.ts):
 * a manifest of megabytes takes seconds to parse, and a 44 KB zip can unpack to 45 MB. The
 * zip's limits are checked before anything is parsed; a refusal is an ImportProfileError in
 * words.
 */
import { ZipRefusal } from '../zipwork/limits';
import { readZipInWorker } from '../zipwork/run';
import { ImportProfileError, type ReadProfile } from './import-profile-manifest';

export { ImportProfileError, type ReadProfile } from './import-profile-manifest';

export async function readImportProfile(bytes: Uint8Array): Promise<ReadProfile> {
  try {
    return await readZipInWorker<ReadProfile>('package', bytes);
  } catch (error) {
    throw error instanceof ZipRefusal ? new ImportProfileError(error.message, error.problems) : error;
  }
}
