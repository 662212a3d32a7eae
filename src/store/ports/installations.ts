import type { Installation, InstallationState } from '../../domain/entities.js';

export interface InstallationStore {
  upsertInstallation(installation: Installation): Promise<void>;
  countInstallationsByState(): Promise<Record<InstallationState, number>>;
  getInstallation(id: number): Promise<Installation | null>;
  listInstallations(ids: number[]): Promise<Installation[]>;
  /** Installations of the account with this login (any state), compared without case as GitHub does; in id order. */
  listInstallationsByAccountLogin(login: string): Promise<Installation[]>;
  /** Every stored installation (any state) in id order, a page at a time: those with an id above `afterId`. */
  listInstallationPage(page: { afterId?: number; limit: number }): Promise<Installation[]>;
}
