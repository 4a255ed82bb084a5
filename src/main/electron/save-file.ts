import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindow, Dialog, SaveDialogOptions } from 'electron';
import type { SaveFile } from '../rpc/handlers';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.xlsx': { name: 'Excel workbook', extensions: ['xlsx'] },
  '.zip': { name: 'Zip archive', extensions: ['zip'] },
};

/**
 * The desktop window saves a file main wrote (an export, a diagnostics bundle) through the
 * system's Save dialog: main copies the file where the person chose, off the event loop, so a
 * large workbook never crosses IPC or sits in memory (as base64 it used to, twice).
 * https://www.electronjs.org/docs/latest/api/dialog#dialogshowsavedialogwindow-options
 */
export function saveThroughDialog(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  downloadsFolder: () => string,
  window: () => BrowserWindow | null,
): SaveFile {
  return async (offered) => {
    const filter = FILTERS[path.extname(offered.fileName).toLowerCase()];
    const options: SaveDialogOptions = {
      defaultPath: path.join(downloadsFolder(), offered.fileName),
      ...(filter && { filters: [filter] }),
    };
    const win = window();
    const { canceled, filePath } = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    if (canceled || !filePath) return null;
    await fs.copyFile(offered.file, filePath);
    return filePath;
  };
}
