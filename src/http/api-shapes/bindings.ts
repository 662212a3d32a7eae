// Automations and triggers: the installation-scoped bindings that routing and rebinding act on.

/** `PUT /api/automations/:id`. */
export interface AutomationRequest {
  userId: string;
  installationId: number;
  name: string;
  enabled?: boolean;
}

export interface AutomationJson {
  id: string;
  userId: string;
  installationId: number;
  name: string;
  enabled: boolean;
  updatedAt: string;
}

/** `PUT /api/triggers/:id`; an entry `event` matches every action, `event.action` one action. */
export interface TriggerRequest {
  userId: string;
  automationId?: string;
  installationId: number;
  repoId: number;
  repoFullName?: string;
  rootDirectory?: string;
  events: string[];
  enabled?: boolean;
}

export interface TriggerJson {
  id: string;
  userId: string;
  automationId: string | null;
  installationId: number;
  repoId: number;
  repoFullName: string | null;
  rootDirectory: string | null;
  events: string[];
  enabled: boolean;
  updatedAt: string;
}
