import { api } from './test-service.js';

/** The sample agents' password (knowledge/skill-groups.yaml). */
export const DEMO_PASSWORD = 'kefu-demo-2026';

/** Signs an agent in and returns a bearer-authenticated API helper. */
export async function signIn(base: string, username: string, password = DEMO_PASSWORD) {
  const login = await api(base, 'POST', '/api/v1/agent/login', { username, password });
  if (login.status !== 200) throw new Error(`login of ${username} answered ${login.status}: ${JSON.stringify(login.body)}`);
  const headers = { authorization: `Bearer ${login.body.token as string}` };
  return {
    token: login.body.token as string,
    agent: login.body.agent,
    headers,
    call: <T = Record<string, any>>(method: string, route: string, body?: unknown) => api<T>(base, method, route, body, headers),
  };
}
