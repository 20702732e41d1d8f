import { Hono } from 'hono';
import type { Deps } from './deps.js';
import { registerApiTokenRoutes } from './features/api-tokens/routes.js';
import { registerAuthRoutes } from './features/auth/routes.js';
import { registerConsoleRoutes } from './features/console/routes.js';
import { registerEmailRoutes } from './features/email/routes.js';
import { registerInvitationRoutes } from './features/invitations/routes.js';
import { registerJoinCodeRoutes } from './features/join-codes/routes.js';
import { registerKeyRoutes, requireSecretKey } from './features/keys/routes.js';
import { registerMfaRoutes } from './features/mfa/routes.js';
import { registerOAuthRoutes } from './features/oauth/routes.js';
import { registerOrganizationRoutes } from './features/organizations/routes.js';
import { registerPasskeyRoutes } from './features/passkeys/routes.js';
import { registerPasskeySignInRoutes } from './features/passkeys/sign-in.js';
import { registerPlaygroundRoutes } from './features/playground/routes.js';
import { registerSessionTokenRoutes } from './features/session-token/routes.js';
import { registerSystemRoutes } from './features/system/routes.js';
import { registerUserRoutes } from './features/users/routes.js';
import { registerWorkspaceRoutes } from './features/workspaces/routes.js';
import type { AppEnv } from './http/context.js';
import { limitBody, onError, onNotFound, requestContext, securityHeaders } from './http/middleware.js';
import { frontendSecurity } from './security/frontend-guard.js';

/** The HTTP application: every route of both APIs, the docs and the health check. */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(deps.log, deps.config.trustProxy));
  app.use('*', securityHeaders());
  app.use('*', limitBody());
  app.use('/backend/v1/*', requireSecretKey(deps));
  app.use('/v1/*', ...frontendSecurity(deps));
  app.onError(onError);
  app.notFound(onNotFound);

  registerSystemRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerSessionTokenRoutes(app, deps);
  registerEmailRoutes(app, deps);
  registerOrganizationRoutes(app, deps);
  registerWorkspaceRoutes(app, deps);
  registerMfaRoutes(app, deps);
  registerApiTokenRoutes(app, deps);
  registerJoinCodeRoutes(app, deps);
  registerInvitationRoutes(app, deps);
  registerPasskeyRoutes(app, deps);
  registerPasskeySignInRoutes(app, deps);
  registerOAuthRoutes(app, deps);
  registerPlaygroundRoutes(app, deps);
  registerConsoleRoutes(app, deps);
  return app;
}
