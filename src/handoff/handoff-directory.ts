/**
 * The handoff view of `skill-groups.yaml`: groups with their hours and limits, agents and the
 * groups they see, routing rules and webhook secrets (resolved from the environment).
 *
 * @example
 * const directory = new HandoffDirectory(loadSkillGroups('knowledge/skill-groups.yaml').file);
 * directory.groupsOf('xiaoli'); // ['after-sales', 'orders']
 *
 * @module
 */
import type { AgentConfig, RoutingRuleConfig, SkillGroupConfig, SkillGroupsFile } from '../knowledge/skill-groups.js';
import { pick, type Lang } from '../text/lang.js';

const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Read-only lookups over the skill-groups file. */
export class HandoffDirectory {
  readonly #groups: Map<string, SkillGroupConfig>;
  readonly #agents: Map<string, AgentConfig>;

  constructor(
    readonly file: SkillGroupsFile,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.#groups = new Map(file.groups.map((group) => [group.id, group]));
    this.#agents = new Map(file.agents.map((agent) => [agent.username, agent]));
  }

  get defaultGroup(): string {
    return this.file.default;
  }

  get rules(): RoutingRuleConfig[] {
    return this.file.routing;
  }

  groups(): SkillGroupConfig[] {
    return this.file.groups;
  }

  group(id: string): SkillGroupConfig | undefined {
    return this.#groups.get(id);
  }

  /** The group's name in `lang`, or its id for an unknown group. */
  groupName(id: string, lang: Lang): string {
    const group = this.#groups.get(id);
    return group ? pick(group.name, lang) : id;
  }

  agents(): AgentConfig[] {
    return this.file.agents;
  }

  agent(username: string): AgentConfig | undefined {
    return this.#agents.get(username);
  }

  /** Groups an agent works in; a lead sees every group. */
  groupsOf(username: string): string[] {
    const agent = this.#agents.get(username);
    if (!agent) return [];
    return agent.role === 'lead' ? this.file.groups.map((group) => group.id) : agent.groups;
  }

  /** Agents who take chats of `groupId`, in file order (which breaks assignment ties). */
  agentsOf(groupId: string): AgentConfig[] {
    return this.file.agents.filter((agent) => agent.groups.includes(groupId));
  }

  /**
   * The group's webhook with its secret: `${NAME}` is read from the environment. Undefined when
   * the group has none or the variable is unset (the caller logs that).
   */
  webhook(groupId: string): { url: string; secret: string } | undefined {
    const webhook = this.#groups.get(groupId)?.webhook;
    if (!webhook) return undefined;
    const reference = ENV_REFERENCE.exec(webhook.secret);
    const secret = reference ? this.env[reference[1] as string] : webhook.secret;
    return secret ? { url: webhook.url, secret } : undefined;
  }
}
