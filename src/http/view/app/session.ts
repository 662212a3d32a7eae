import { byId } from './dom.js';

// The API token: asked for once and kept for this browser tab (sessionStorage), in memory when
// the browser refuses storage. The page holds no data of its own without it.

const TOKEN_KEY = 'reconciler.apiToken';
let memoryToken: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled (a privacy setting): the token lives in memory, until the tab reloads.
    return null;
  }
}

export function readToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) || memoryToken;
}

export function saveToken(token: string): void {
  memoryToken = token;
  storage()?.setItem(TOKEN_KEY, token);
}

export function dropToken(): void {
  memoryToken = null;
  storage()?.removeItem(TOKEN_KEY);
}

export function askForToken(message: string): void {
  byId('main').hidden = true;
  byId('forget-token').hidden = true;
  byId('token-state').textContent = 'No API token';
  byId('token-panel').hidden = false;
  const note = byId('token-message');
  note.textContent = message;
  note.hidden = !message;
  const input = byId<HTMLInputElement>('token-input');
  input.value = '';
  input.focus();
}

export function showMain(): void {
  byId('token-panel').hidden = true;
  byId('main').hidden = false;
  byId('forget-token').hidden = false;
  byId('token-state').textContent = 'API token kept in this tab';
}
