import path from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import type { SyncStatus } from '../../shared/sync-status';

export interface TrayActions {
  open(): void;
  syncNow(): void;
  quit(): void;
}

const WORD = {
  online: 'online',
  offline: 'offline',
  unknown: 'not checked yet',
  unconfigured: 'not configured',
};

/** "IV online · SCM offline · 3 not synced": the tray's tooltip, in the header's words. */
export function trayTooltip(status: SyncStatus | null): string {
  if (!status) return 'Store Ledger';
  const failed = status.aggregatedCounts.FnOCreateError + status.aggregatedCounts.FnOPostError;
  return [
    'Store Ledger',
    `IV ${WORD[status.upstream.iv]} · SCM ${WORD[status.upstream.scm]}`,
    `${status.unsynced.toLocaleString()} not synced${failed > 0 ? ` · ${failed} failed in SCM` : ''}`,
  ].join('\n');
}

/** Amber when an upstream is not online or lines failed, so the icon alone tells it. */
export function trayIconName(status: SyncStatus | null): 'tray.png' | 'tray-attention.png' {
  if (!status) return 'tray.png';
  const failed = status.aggregatedCounts.FnOCreateError + status.aggregatedCounts.FnOPostError;
  const down = status.upstream.iv === 'offline' || status.upstream.scm === 'offline';
  return down || failed > 0 ? 'tray-attention.png' : 'tray.png';
}

/**
 * The app lives on in the system tray when its window closes, so the local API the store's
 * systems post to keeps answering. Menu: Open, Sync now, Quit.
 */
export class AppTray {
  private readonly tray: Tray;
  private icon = '';

  constructor(
    private readonly iconDir: string,
    actions: TrayActions,
  ) {
    this.tray = new Tray(this.image('tray.png'));
    this.icon = 'tray.png';
    this.tray.setToolTip('Store Ledger');
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Store Ledger', click: actions.open },
        { label: 'Sync now', click: actions.syncNow },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit },
      ]),
    );
    this.tray.on('click', actions.open);
  }

  update(status: SyncStatus | null): void {
    this.tray.setToolTip(trayTooltip(status));
    const icon = trayIconName(status);
    if (icon !== this.icon) {
      this.icon = icon;
      this.tray.setImage(this.image(icon));
    }
  }

  destroy(): void {
    this.tray.destroy();
  }

  private image(name: string) {
    return nativeImage.createFromPath(path.join(this.iconDir, name));
  }
}
