import type { FileOffer } from '../../../shared/file-upload';
import { rpc, transportPlatform } from './client';

/**
 * Saves a file main offered (an export, a diagnostics bundle). In a browser it is a plain
 * download of `/download/{id}`: the browser streams it to disk, nothing is held in the page. The
 * desktop window asks main to show its Save dialog and copy the file there (files.save); the
 * answer is where it went, or null when the person cancelled.
 */
export async function saveOffered(offer: FileOffer): Promise<string | null> {
  if (transportPlatform() === 'electron')
    return (await rpc('files.save', { downloadId: offer.downloadId })).savedTo;
  const a = document.createElement('a');
  a.href = `/download/${encodeURIComponent(offer.downloadId)}`;
  a.download = offer.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  return null;
}
