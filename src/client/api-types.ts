// Generated from docs/openapi.json by openapi-typescript (npm run openapi). Do not edit.

export interface paths {
    "/webhooks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** GitHub deliveries, verified (X-Hub-Signature-256) and stored before the answer */
        post: {
            parameters: {
                query?: never;
                header: {
                    "x-github-event": string;
                    "x-github-delivery": string;
                    "x-hub-signature-256": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description a repeated delivery id: acknowledged, not applied twice */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                            deliveryId: string;
                            /** @enum {string} */
                            state: "received" | "processing" | "applied" | "ignored" | "failed";
                        };
                    };
                };
                /** @description stored */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: string;
                            deliveryId: string;
                            /** @enum {string} */
                            state: "received" | "processing" | "applied" | "ignored" | "failed";
                        };
                    };
                };
                /** @description a malformed body or missing headers */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description a bad signature: nothing stored */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the body stalled */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description past GitHub's 25 MB cap */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many webhook bodies in memory: retry */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store and the worker can take deliveries */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description ready (a paused worker is ready: deliveries are still stored) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready";
                            /** @enum {string} */
                            store: "ok";
                            /** @enum {string} */
                            worker: "running" | "paused";
                            ingress: {
                                bodyBytesInFlight: number;
                                bodyBytesBudget: number;
                            };
                        };
                    };
                };
                /** @description not ready: the store, the worker or the ingress budget */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (no token needed: it holds no data) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the OpenAPI 3.1 document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users in id order */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of users */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: components["schemas"]["User"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        /** Create or update a user */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        githubUserId: number;
                        githubLogin: string;
                    };
                };
            };
            responses: {
                /** @description updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}/installations/{installationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Link a user to an installation */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                    installationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description already linked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            userId: string;
                            installationId: number;
                            /** @enum {boolean} */
                            linked: true;
                        };
                    };
                };
                /** @description linked */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            userId: string;
                            installationId: number;
                            /** @enum {boolean} */
                            linked: true;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        /** Unlink a user from an installation */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                    installationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}/installations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's installations, missing metadata filled in from GitHub (R6) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the installations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            installations: components["schemas"]["Installation"][];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Projects view (R5): covered repos first, in a stable order */
        get: {
            parameters: {
                query?: {
                    include?: "all";
                    limit?: string;
                    cursor?: string;
                };
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of rows */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rows: components["schemas"]["ProjectRow"][];
                            installationSyncActive: boolean;
                            nextCursor: string | null;
                            /** @description OAuth-only rows left out of the active list (include=all shows them) */
                            hiddenVisibleOnly: number;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        /** Create a sub-project row under an existing base row */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        repoId: number;
                        /** @example packages/api */
                        rootDirectory: string;
                    };
                };
            };
            responses: {
                /** @description it existed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            row: components["schemas"]["ProjectRow"];
                        };
                    };
                };
                /** @description created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            row: components["schemas"]["ProjectRow"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/automations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Automations in id order */
        get: {
            parameters: {
                query?: {
                    userId?: string;
                    cursor?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of automations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            automations: components["schemas"]["Automation"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triggers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Triggers in id order; filters combine with AND */
        get: {
            parameters: {
                query?: {
                    userId?: string;
                    /** @description a repo id, or owner/name */
                    repo?: string;
                    automationId?: string;
                    cursor?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of triggers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            triggers: components["schemas"]["Trigger"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/automations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An automation and its triggers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An automation and its triggers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AutomationPage"];
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        /** Create or replace a automation */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example user-1 */
                        userId: string;
                        installationId: number;
                        name: string;
                        enabled?: boolean | null;
                    };
                };
            };
            responses: {
                /** @description replaced */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            automation: components["schemas"]["Automation"];
                        };
                    };
                };
                /** @description created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            automation: components["schemas"]["Automation"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request conflicts with the current state: the message says how */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        /** Delete a automation (audited with what was deleted) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triggers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A trigger: its binding and latest decisions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A trigger: its binding and latest decisions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TriggerPage"];
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        /** Create or replace a trigger */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example user-1 */
                        userId: string;
                        /** @example user-1 */
                        automationId?: string | null;
                        installationId: number;
                        repoId?: number | null;
                        /** @example octo-org/api */
                        repoFullName?: string | null;
                        /** @example packages/api */
                        rootDirectory?: string | null;
                        events: string[];
                        enabled?: boolean | null;
                    };
                };
            };
            responses: {
                /** @description replaced */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            trigger: components["schemas"]["Trigger"];
                        };
                    };
                };
                /** @description created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            trigger: components["schemas"]["Trigger"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request conflicts with the current state: the message says how */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        /** Delete a trigger (audited with what was deleted) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{userId}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sync a user: installation-backed for its installations, OAuth-only with a token */
        post: {
            parameters: {
                query?: {
                    async?: "0" | "1";
                };
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        oauthToken?: string | null;
                    };
                };
            };
            responses: {
                /** @description what the sync decided */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UserSync"];
                    };
                };
                /** @description async=1: started (or joined the one running) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            syncId: string;
                            joined: boolean;
                            /** @enum {string} */
                            state: "running" | "completed" | "failed";
                            /** @description the path that follows it */
                            progress: string;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/syncs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The syncs this replica runs and ran lately, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the syncs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            syncs: {
                                syncId: string;
                                userId: string;
                                /** @enum {string} */
                                state: "running" | "completed" | "failed";
                                /**
                                 * Format: date-time
                                 * @example 2026-11-25T08:00:00.000Z
                                 */
                                startedAt: string;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-25T08:00:00.000Z
                                 */
                                finishedAt: string | null;
                                /** @description pages read so far, over every run of the sync */
                                pagesDone: number;
                                /** @description pages known so far, from GitHub's Link header of each run begun */
                                pagesTotal: number;
                                reposSeen: number;
                                decisions: components["schemas"]["DecisionCounts"];
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/syncs/{syncId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sync and its progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    syncId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the sync */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SyncProgress"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search deliveries, newest first; every filter given must hold (outcome=woke_nothing: routed and woke nothing; with problems=1 only those that should have) */
        get: {
            parameters: {
                query?: {
                    /** @description search-box text (GET /api/search) */
                    q?: string;
                    /** @description owner/name in any case, also a name the repo had before a rename or transfer */
                    repo?: string;
                    repoId?: string;
                    /** @description deliveries whose routing considered this trigger */
                    trigger?: string;
                    /** @description deliveries whose routing considered a trigger of it */
                    automation?: string;
                    /** @description an installation id, or the login of the account it is installed on */
                    installation?: string;
                    event?: string;
                    action?: string;
                    outcome?: "woke" | "woke_none" | "no_candidates" | "not_routed" | "woke_nothing";
                    reason?: string;
                    state?: "received" | "processing" | "applied" | "ignored" | "failed";
                    /** @description received at or after */
                    since?: string;
                    /** @description received before */
                    until?: string;
                    /** @description 1: only deliveries whose routing recorded a problem reason (not an expected non-match) */
                    problems?: "0" | "1" | "true" | "false";
                    limit?: string;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: components["schemas"]["DeliveryListItem"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deliveries/{deliveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The story of one delivery (R10) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deliveryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the story */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeliveryStory"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deliveries/{deliveryId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-test a delivery: dryRun=true routes it against today's state and writes nothing */
        post: {
            parameters: {
                query?: {
                    dryRun?: "0" | "1" | "true" | "false";
                };
                header?: never;
                path: {
                    deliveryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description dry run: what would wake now next to what woke then */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            dryRun: true;
                            deliveryId: string;
                            then: components["schemas"]["RoutingTold"];
                            now: components["schemas"]["RoutingTold"];
                            changed: {
                                triggerId: string;
                                /** @enum {string|null} */
                                then: "woken" | "not_woken" | null;
                                /** @enum {string|null} */
                                now: "woken" | "not_woken" | null;
                            }[];
                        };
                    };
                };
                /** @description replayed as a new delivery */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveryId: string;
                            replayOf: string;
                            /** @enum {boolean} */
                            dryRun: false;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request conflicts with the current state: the message says how */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the search box text names: repos (also by a former name), deliveries, triggers, automations, installations, users, a trace id */
        get: {
            parameters: {
                query: {
                    q: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the matches, most specific first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SearchAnswer"];
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/deliveries/{deliveryId}/payload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stored payload and headers of a delivery */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deliveryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the payload as signed and the headers as sent */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeliveryPayload"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/repos/{repoId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A repo: its rows per user, names it had, triggers, latest deliveries */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repoId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A repo: its rows per user, names it had, triggers, latest deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RepoPage"];
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/installations/{installationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An installation: state, linked users, coverage counts, latest syncs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    installationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An installation: state, linked users, coverage counts, latest syncs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["InstallationPage"];
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/wakes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Wakes oldest first; the cursor only moves forward (wait= long-polls) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: string;
                    /** @description seconds a long-poll may wait for a first wake */
                    wait?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of wakes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            wakes: components["schemas"]["Wake"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description what the cursor points at was pruned: the error says where to resume */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/wakes/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events: one `wake` event per wake, its seq as the event id (Last-Event-ID resumes) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description what the cursor points at was pruned: the error says where to resume */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every runner endpoint with its condition */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the endpoints */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoints: components["schemas"]["Endpoint"][];
                        };
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One endpoint */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["Endpoint"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        /** Register or change a runner endpoint */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        url: string;
                        /** @description whsec_ and base64; required for a new endpoint */
                        secret?: string | null;
                        filter?: {
                            automationIds?: string[] | null;
                            userIds?: string[] | null;
                            events?: string[] | null;
                        } | null;
                        enabled?: boolean | null;
                    };
                };
            };
            responses: {
                /** @description changed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["Endpoint"];
                        };
                    };
                };
                /** @description created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["Endpoint"];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request conflicts with the current state: the message says how */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        post?: never;
        /** Delete an endpoint */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description done; no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request conflicts with the current state: the message says how */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/endpoints/{id}/sends": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's sends, newest first, with every attempt */
        get: {
            parameters: {
                query?: {
                    state?: "pending" | "sending" | "delivered" | "given_up";
                    limit?: string;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of sends */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sends: components["schemas"]["WakeSend"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/endpoints/{id}/requeue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send given-up sends again: one (sendId) or every one given up since a time (since) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        sendId?: string | null;
                        since?: string | null;
                    };
                };
            };
            responses: {
                /** @description how many were requeued */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requeued: number;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit search, newest first; filters combine with AND */
        get: {
            parameters: {
                query?: {
                    deliveryId?: string;
                    traceId?: string;
                    userId?: string;
                    /** @description a repo id, or owner/name */
                    repo?: string;
                    kind?: string;
                    since?: string;
                    limit?: string;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page of records */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            records: components["schemas"]["AuditRecord"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Walk the hash chain and the signed checkpoints */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the verdict */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            checked: number;
                            firstSeq: number | null;
                            lastSeq: number | null;
                            checkpoint: components["schemas"]["AuditCheckpoint"] | null;
                            /** @description `id` is null when the first bad record is a missing one */
                            broken: {
                                /** @enum {boolean} */
                                ok: false;
                                seq: number;
                                id: string | null;
                                problem: string;
                            } | null;
                            /** @description the newest signed checkpoint whose records all matched */
                            signedCheckpoint: {
                                number: number;
                                seq: number;
                                /**
                                 * Format: date-time
                                 * @example 2026-11-25T08:00:00.000Z
                                 */
                                signedAt: string;
                                keyId: string;
                            } | null;
                            /** @description false without an audit signing key */
                            signedCheckpointsChecked: boolean;
                        };
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove the oldest records behind a checkpoint (retention) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        before: string;
                    };
                };
            };
            responses: {
                /** @description what was pruned */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pruned: number;
                            checkpoint: components["schemas"]["AuditCheckpoint"] | null;
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the request body is too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/diagnose": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The product document's troubleshooting order for a repo, answered (R10) */
        get: {
            parameters: {
                query: {
                    userId: string;
                    repo: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description each step answered */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            userId: string;
                            repo: string;
                            steps: components["schemas"]["DiagnosisStep"][];
                            /** @description missing installation metadata is filled first (R6): what that did, per linked installation */
                            metadataRefresh: {
                                /** @enum {string} */
                                status: "complete" | "refreshed" | "unavailable" | "failed";
                                filled: ("accountLogin" | "accountType" | "targetType" | "permissions")[];
                                missing: ("accountLogin" | "accountType" | "targetType" | "permissions")[];
                                message: string | null;
                                installationId: number;
                            }[];
                        };
                    };
                };
                /** @description the request is malformed: the message names the field or parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the entity named in the path does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the Observability view's cards show */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the overview */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            coverage: {
                                covered: number;
                                visible_only: number;
                                bound_to_gone: number;
                            };
                            installations: {
                                active: number;
                                suspended: number;
                                deleted: number;
                            };
                            inbox: {
                                pending: number;
                                oldestReceivedAt: string | null;
                            };
                            rebindSkips: {
                                total: number;
                                byReason: {
                                    [key: string]: number;
                                };
                                recent: components["schemas"]["AuditRecord"][];
                            };
                        };
                    };
                };
                /** @description no or a wrong API token (Authorization: Bearer <API_TOKEN>) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description too many wrong API tokens from this address (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
                /** @description the reconciler failed to answer: see its logs */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiError: {
            /** @description code and message, and for some errors what to do next (head, resumeCursor) */
            error: {
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        User: {
            id: string;
            githubUserId: number;
            githubLogin: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            updatedAt: string;
        };
        Installation: {
            id: number;
            accountLogin: string | null;
            accountType: string | null;
            targetType: string | null;
            permissions: {
                [key: string]: string;
            } | null;
            /** @enum {string} */
            state: "active" | "suspended" | "deleted";
            /** @enum {string|null} */
            repositorySelection: "all" | "selected" | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            suspendedAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            deletedAt: string | null;
            refresh: {
                /** @enum {string} */
                status: "complete" | "refreshed" | "unavailable" | "failed";
                filled: ("accountLogin" | "accountType" | "targetType" | "permissions")[];
                missing: ("accountLogin" | "accountType" | "targetType" | "permissions")[];
                message: string | null;
            };
        };
        ProjectRow: {
            repoId: number;
            fullName: string;
            owner: string;
            name: string;
            defaultBranch: string | null;
            /** @description null for base rows */
            rootDirectory: string | null;
            installationId: number | null;
            /** @enum {string} */
            coverage: "covered" | "visible_only" | "bound_to_gone";
            installationState: ("active" | "suspended" | "deleted") | "unknown" | null;
            /** @enum {string|null} */
            visibility: "public" | "private" | "internal" | null;
            archived: boolean;
            /** @enum {string} */
            discoveredBy: "oauth" | "installation" | "webhook";
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            lastSeenAt: string;
        };
        Automation: {
            id: string;
            userId: string;
            installationId: number;
            name: string;
            enabled: boolean;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            updatedAt: string;
        };
        Trigger: {
            id: string;
            userId: string;
            automationId: string | null;
            installationId: number;
            repoId: number;
            repoFullName: string | null;
            rootDirectory: string | null;
            events: string[];
            enabled: boolean;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            updatedAt: string;
        };
        UserSync: {
            syncId: string;
            userId: string;
            traceId: string | null;
            installationSync: {
                available: boolean;
                reason: string | null;
                runs: components["schemas"]["InstallationSync"][];
            };
            oauthSync: components["schemas"]["OAuthSync"] | null;
            counts: components["schemas"]["DecisionCounts"];
            /** @description the decisions of counts that were about sub-project rows (the rest are about repos) */
            subProjectCounts: {
                created: number;
                updated: number;
                covered: number;
                detached: number;
                preserved: number;
                unchanged: number;
                propagated: number;
            };
            rebind: components["schemas"]["RebindOutcome"][];
        };
        InstallationSync: {
            /** @enum {string} */
            kind: "installation";
            installationId: number;
            /** @enum {string} */
            status: "completed" | "suspended" | "deleted" | "failed";
            message: string | null;
            retryable: boolean;
            retryAfterMs: number | null;
            pages: number;
            reposListed: number;
            counts: components["schemas"]["DecisionCounts"];
            /** @description the decisions of counts that were about sub-project rows (the rest are about repos) */
            subProjectCounts: {
                created: number;
                updated: number;
                covered: number;
                detached: number;
                preserved: number;
                unchanged: number;
                propagated: number;
            };
            rebind: components["schemas"]["RebindOutcome"][];
        };
        DecisionCounts: {
            created: number;
            updated: number;
            covered: number;
            detached: number;
            preserved: number;
            unchanged: number;
            propagated: number;
        };
        RebindOutcome: {
            userId: string;
            /** @enum {string} */
            outcome: "rebound";
            to: number;
            entities: {
                type: string;
                id: string;
                from: number;
            }[];
        } | {
            userId: string;
            /** @enum {string} */
            outcome: "skipped";
            reason: string;
            installationIds: number[];
        };
        OAuthSync: {
            /** @enum {string} */
            kind: "oauth";
            userId: string;
            /** @enum {string} */
            status: "completed" | "failed";
            message: string | null;
            pages: number;
            reposListed: number;
            counts: components["schemas"]["DecisionCounts"];
            /** @description the decisions of counts that were about sub-project rows (the rest are about repos) */
            subProjectCounts: {
                created: number;
                updated: number;
                covered: number;
                detached: number;
                preserved: number;
                unchanged: number;
                propagated: number;
            };
        };
        SyncProgress: {
            syncId: string;
            userId: string;
            /** @enum {string} */
            state: "running" | "completed" | "failed";
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            startedAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            finishedAt: string | null;
            /** @description pages read so far, over every run of the sync */
            pagesDone: number;
            /** @description pages known so far, from GitHub's Link header of each run begun */
            pagesTotal: number;
            reposSeen: number;
            decisions: components["schemas"]["DecisionCounts"];
            error: string | null;
            result: components["schemas"]["UserSync"] | null;
        };
        DeliveryListItem: {
            id: string;
            event: string;
            action: string | null;
            installationId: number | null;
            repoId: number | null;
            /** @enum {string} */
            state: "received" | "processing" | "applied" | "ignored" | "failed";
            attempts: number;
            error: string | null;
            reason: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            receivedAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            processedAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            nextAttemptAt: string | null;
            replayOf: string | null;
            /** @description the repo's name today, from its repo rows */
            repoFullName: string | null;
            /** @enum {string} */
            outcome: "woke" | "woke_none" | "no_candidates" | "not_routed";
            summary: string;
            traceId: string | null;
            /** @description a reason of its routing is a problem, not an expected non-match */
            problem: boolean;
            /** @description distinct reason codes of its routing (no_candidates when none) */
            reasons: string[];
        };
        DeliveryStory: {
            delivery: components["schemas"]["Delivery"];
            traceId: string | null;
            summary: string;
            /** @enum {string} */
            outcome: "woke" | "woke_none" | "no_candidates" | "not_routed";
            candidates: components["schemas"]["StoryCandidate"][];
            audit: components["schemas"]["AuditRecord"][];
            auditTruncated: boolean;
        };
        /** @description A delivery as clients see it; the raw payload stays in the store. */
        Delivery: {
            id: string;
            event: string;
            action: string | null;
            installationId: number | null;
            repoId: number | null;
            /** @enum {string} */
            state: "received" | "processing" | "applied" | "ignored" | "failed";
            attempts: number;
            error: string | null;
            reason: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            receivedAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            processedAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            nextAttemptAt: string | null;
            replayOf: string | null;
        };
        StoryCandidate: {
            triggerId: string;
            automationId: string | null;
            userId: string | null;
            /** @enum {string} */
            outcome: "woken" | "not_woken";
            reason: string | null;
            detail: string | null;
            fix: string | null;
            boundInstallationId: number | null;
        };
        AuditRecord: {
            id: string;
            seq: number;
            schemaVersion: number;
            kind: string;
            actor: string;
            source: {
                type: string;
                id: string;
            };
            subject: components["schemas"]["AuditSubject"];
            decision: string;
            reason: string | null;
            /** @description any JSON value */
            before?: unknown;
            /** @description any JSON value */
            after?: unknown;
            traceId: string | null;
            deliveryId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            occurredAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            recordedAt: string;
            prevHash: string | null;
            hash: string;
        };
        AuditSubject: {
            userId?: string;
            repoId?: number;
            repoFullName?: string;
            installationId?: number;
            automationId?: string;
            triggerId?: string;
        };
        RoutingTold: {
            /** @enum {string} */
            outcome: "woke" | "woke_none" | "no_candidates" | "not_routed";
            summary: string;
            woke: string[];
            candidates: components["schemas"]["StoryCandidate"][];
        };
        SearchAnswer: {
            query: string;
            matches: {
                /** @enum {string} */
                kind: "repo" | "delivery" | "trigger" | "automation" | "installation" | "trace" | "user";
                id: string;
                label: string;
                detail: string | null;
                /** @description the name typed, when the repo is called otherwise today */
                formerName?: string;
            }[];
        };
        DeliveryPayload: {
            deliveryId: string;
            event: string;
            action: string | null;
            receivedAt: string;
            /** @description the request headers as GitHub sent them (lower-case names), without X-Hub-Signature* */
            headers: {
                [key: string]: string;
            };
            /** @description the JSON body as signed */
            payload: {
                [key: string]: unknown;
            };
        };
        RepoPage: {
            repoId: number;
            fullName: string | null;
            /** @description names the audit trail knows the repo by before a rename or transfer, newest first */
            formerNames: {
                name: string;
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                until: string;
            }[];
            rows: {
                userId: string;
                repoId: number;
                fullName: string;
                rootDirectory: string | null;
                installationId: number | null;
                /** @enum {string} */
                coverage: "covered" | "visible_only" | "bound_to_gone";
                /** @enum {string|null} */
                installationState: "active" | "suspended" | "deleted" | "unknown" | null;
                /** @enum {string} */
                discoveredBy: "oauth" | "installation" | "webhook";
                archived: boolean;
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                lastSeenAt: string;
            }[];
            triggers: components["schemas"]["Trigger"][];
            latestDeliveries: components["schemas"]["DeliveryListItem"][];
        };
        TriggerPage: {
            trigger: components["schemas"]["Trigger"];
            automation: components["schemas"]["Automation"] | null;
            binding: components["schemas"]["TriggerBinding"];
            /** @description newest first */
            latestDecisions: {
                deliveryId: string;
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                receivedAt: string;
                /** @enum {string} */
                outcome: "woken" | "not_woken";
                reason: string | null;
            }[];
        };
        TriggerBinding: {
            installationId: number;
            installationAccount: string | null;
            /** @enum {string} */
            installationState: "active" | "suspended" | "deleted" | "unknown";
            automationInstallationId: number | null;
            /** @description null without an automation; false when the automation is bound elsewhere */
            agreesWithAutomation: boolean | null;
            /** @description the trigger's user's base row of the repo; null when the user has none */
            repoRow: {
                installationId: number | null;
                /** @enum {string} */
                coverage: "covered" | "visible_only" | "bound_to_gone";
                fullName: string;
            } | null;
            /** @description null without a row; false when the row is bound to another installation (stale binding) */
            agreesWithRepoRow: boolean | null;
        };
        AutomationPage: {
            automation: components["schemas"]["Automation"];
            triggers: components["schemas"]["Trigger"][];
        };
        InstallationPage: {
            installation: {
                id: number;
                account: {
                    id: number | null;
                    login: string | null;
                    type: string | null;
                };
                /** @enum {string} */
                state: "active" | "suspended" | "deleted";
                /** @enum {string|null} */
                repositorySelection: "all" | "selected" | null;
                targetType: string | null;
                events: string[];
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                suspendedAt: string | null;
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                deletedAt: string | null;
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                updatedAt: string;
            };
            linkedUsers: string[];
            /** @description the repo rows (every user) bound to this installation, and how many it covers */
            coverage: {
                rows: number;
                covered: number;
                notCovered: number;
            };
            /** @description its installation syncs, newest first (audit trail) */
            latestSyncs: {
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                occurredAt: string;
                userId: string | null;
                decision: string;
                reason: string | null;
                traceId: string | null;
                /** @description row decisions of the run, where it recorded them */
                counts: {
                    [key: string]: number;
                };
            }[];
        };
        /** @description A trigger woken by a delivery: an outbox row for the platform's runner. */
        Wake: {
            /** @description `<deliveryId>:<triggerId>`: one delivery wakes a trigger at most once */
            id: string;
            seq: number;
            deliveryId: string;
            triggerId: string;
            automationId: string | null;
            userId: string;
            repoId: number;
            repoFullName: string | null;
            installationId: number;
            event: string;
            action: string | null;
            push: components["schemas"]["PushFacts"] | null;
            pullRequest: components["schemas"]["PullRequestFacts"] | null;
            /** @description true for the wakes of a replay (a re-test of a route) */
            replay: boolean;
            replayOf: string | null;
            /**
             * Format: date-time
             * @description when it woke
             * @example 2026-11-25T08:00:00.000Z
             */
            createdAt: string;
        };
        /** @description What was pushed; null where the payload did not say. */
        PushFacts: {
            ref: string | null;
            before: string | null;
            after: string | null;
            headCommit: {
                id: string;
                timestamp: string | null;
                url: string | null;
            } | null;
        };
        /** @description A pull request's number and both ends; null where the payload did not say. */
        PullRequestFacts: {
            number: number | null;
            headSha: string | null;
            headRef: string | null;
            baseSha: string | null;
            baseRef: string | null;
        };
        /** @description A runner endpoint; its secret is never shown. */
        Endpoint: {
            id: string;
            url: string;
            secretSet: boolean;
            filter: {
                automationIds: string[] | null;
                userIds: string[] | null;
                events: string[] | null;
            };
            enabled: boolean;
            /**
             * @description `config` for the endpoint WAKE_ENDPOINT_URL defines
             * @enum {string}
             */
            source: "api" | "config";
            /** @enum {string} */
            condition: "disabled" | "paused" | "failing" | "healthy";
            /** @description sends waiting for an attempt or in one */
            pending: number;
            consecutiveFailures: number;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            pausedUntil: string | null;
            lastFailure: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            lastSuccessAt: string | null;
            /** @description the outbox position through which wakes were queued for it */
            queuedThroughSeq: number;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            updatedAt: string;
        };
        WakeSend: {
            /** @description the webhook-id sent */
            id: string;
            seq: number;
            endpointId: string;
            wakeId: string;
            /** @enum {string} */
            state: "pending" | "sending" | "delivered" | "given_up";
            attempts: number;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            nextAttemptAt: string | null;
            attemptLog: {
                /**
                 * Format: date-time
                 * @example 2026-11-25T08:00:00.000Z
                 */
                at: string;
                status: number | null;
                error: string | null;
                durationMs: number;
            }[];
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            finishedAt: string | null;
            /** @description the wake as it was sent */
            wake?: unknown;
        };
        AuditCheckpoint: {
            seq: number;
            hash: string;
            /**
             * Format: date-time
             * @example 2026-11-25T08:00:00.000Z
             */
            prunedAt: string;
            /** @description records removed so far, over every prune */
            pruned: number;
        };
        DiagnosisStep: {
            step: 1 | 2 | 3 | 4 | 5;
            name: string;
            /** @enum {string} */
            status: "ok" | "problem" | "unknown";
            evidence: string;
            next: string | null;
            /** @description the fix as a call the view offers as a button; null when no single call fixes it */
            action: components["schemas"]["StepAction"] | null;
            /** @description every call of the fix, in order (an explicit rebind moves the trigger and its automation) */
            actions: components["schemas"]["StepAction"][];
        };
        StepAction: {
            label: string;
            /** @enum {string} */
            method: "POST" | "PUT" | "DELETE";
            /** @description starts with /api/ */
            path: string;
            body: {
                [key: string]: unknown;
            } | null;
            /** @description the same call as a curl line */
            command: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
