import { ValidationError } from '../errors.js';
import { tokenize, WILDCARD } from './tokenize.js';

/**
 * An online log-template miner after Drain (He, Zhu, Zheng & Lyu, ICWS 2017): a fixed-depth parse
 * tree routes a message by its token count, then by its first `depth − 2` tokens (a token with a
 * digit goes to the WILDCARD branch; a node with `maxChildren` children sends new tokens there too),
 * to a leaf holding template groups. The message joins the most similar group of the leaf when
 * similarity (share of positions whose template token equals the message token, a variable
 * matching a variable) reaches
 * `similarity`, turning the positions that differ into WILDCARD; otherwise it starts a new group.
 *
 * Invariants: template ids are 1, 2, 3, … in creation order and never reused or renumbered while
 * the miner lives (a snapshot keeps them); at most `maxTemplates` groups exist — past that, a
 * message no group accepts gets OVERFLOW_TEMPLATE_ID and nothing is stored. Work per message is
 * O(tokens × groups in its leaf).
 */
export interface TemplateMinerOptions {
  /** Tree depth including the root and the length layer; ≥ 3 (3 = route by length and the first token). */
  readonly depth: number;
  /** Similarity a message needs to join a group, in (0, 1]. */
  readonly similarity: number;
  /** Children per inner node before new tokens share the WILDCARD branch. */
  readonly maxChildren: number;
  /** Tokens of a message that are compared (the rest is summarised by one TRUNCATED token). */
  readonly maxTokens: number;
  /** Most template groups kept. */
  readonly maxTemplates: number;
}

export const defaultTemplateMinerOptions: TemplateMinerOptions = Object.freeze({ depth: 3, similarity: 0.5, maxChildren: 100, maxTokens: 40, maxTemplates: 5000 });

/** The id of a message no group accepted once the miner is full. */
export const OVERFLOW_TEMPLATE_ID = 0;

export interface TemplateMatch {
  readonly templateId: number;
  /** True when this message started its group (or overflowed). */
  readonly isNew: boolean;
  /** Messages the group has taken, including this one (0 for overflow). */
  readonly count: number;
  /** Tokens of the template's message prefix, `<*>` for variables. */
  readonly template: string;
}

/** One group as a snapshot stores it. */
export interface TemplateGroupSnapshot {
  readonly id: number;
  /** The routing keys the group was filed under: token count, then the prefix keys. */
  readonly path: readonly string[];
  readonly tokens: readonly string[];
  readonly count: number;
}

export interface TemplateGroup {
  readonly id: number;
  readonly path: readonly string[];
  tokens: string[];
  count: number;
}

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  readonly groups: TemplateGroup[];
}

const newNode = (): TreeNode => ({ children: new Map(), groups: [] });

export class TemplateMiner {
  readonly options: TemplateMinerOptions;
  private readonly root = newNode();
  private readonly byId = new Map<number, TemplateGroup>();
  private nextId = 1;

  constructor(options: Partial<TemplateMinerOptions> = {}) {
    this.options = checkOptions({ ...defaultTemplateMinerOptions, ...options });
  }

  get size(): number {
    return this.byId.size;
  }

  /** Files `message` under its group (learning), and says which. */
  add(message: string): TemplateMatch {
    return this.addTokens(tokenize(message, this.options.maxTokens));
  }

  /** The id of the group `message` would join, without learning; OVERFLOW_TEMPLATE_ID when none would. */
  match(message: string): number {
    return this.matchTokens(tokenize(message, this.options.maxTokens));
  }

  /** `match` for tokens from `tokenize(message, options.maxTokens)`. */
  matchTokens(tokens: string[]): number {
    const path = this.routeOf(tokens);
    const leaf = this.findNode(path);
    const group = (leaf === undefined ? null : bestGroup(leaf.groups, tokens, this.options.similarity)) ?? this.groupWithOtherFirstToken(path, tokens);
    return group?.id ?? OVERFLOW_TEMPLATE_ID;
  }

  /** `add` for tokens from `tokenize(message, options.maxTokens)` (callers that need the tokens too). */
  addTokens(tokens: string[]): TemplateMatch {
    const path = this.routeOf(tokens);
    const leaf = this.fileAt(path);
    let group = bestGroup(leaf.groups, tokens, this.options.similarity);
    if (group === null) {
      group = this.groupWithOtherFirstToken(path, tokens);
      // Filed here too, so the next message with this first token finds it directly.
      if (group !== null) leaf.groups.push(group);
    }
    if (group !== null) {
      mergeInto(group, tokens);
      group.count += 1;
      return { templateId: group.id, isNew: false, count: group.count, template: group.tokens.join(' ') };
    }
    if (this.byId.size >= this.options.maxTemplates) {
      return { templateId: OVERFLOW_TEMPLATE_ID, isNew: true, count: 0, template: tokens.join(' ') };
    }
    const created: TemplateGroup = { id: this.nextId++, path, tokens: [...tokens], count: 1 };
    leaf.groups.push(created);
    this.byId.set(created.id, created);
    return { templateId: created.id, isNew: true, count: 1, template: tokens.join(' ') };
  }

  /** The group's template text, or undefined for an unknown id. */
  templateOf(id: number): string | undefined {
    return this.byId.get(id)?.tokens.join(' ');
  }

  /** Every group, by id. */
  groups(): TemplateGroupSnapshot[] {
    return [...this.byId.values()].map((group) => ({ id: group.id, path: [...group.path], tokens: [...group.tokens], count: group.count }));
  }

  /** Plain-JSON state; `TemplateMiner.restore` rebuilds an identical miner from it. */
  snapshot(): { options: TemplateMinerOptions; nextId: number; groups: TemplateGroupSnapshot[] } {
    return { options: { ...this.options }, nextId: this.nextId, groups: this.groups() };
  }

  /**
   * A miner holding exactly `groups` (ids, paths, tokens; counts unless `resetCounts`), filed
   * under their recorded paths, so messages route as they did before. Validate untrusted input
   * with parseMinerSnapshot first.
   */
  static restore(state: { options: TemplateMinerOptions; nextId: number; groups: readonly TemplateGroupSnapshot[] }, resetCounts = false): TemplateMiner {
    const miner = new TemplateMiner(state.options);
    for (const snapshot of [...state.groups].sort((a, b) => a.id - b.id)) {
      if (miner.byId.has(snapshot.id)) throw new ValidationError(`template snapshot repeats id ${snapshot.id}`);
      const group: TemplateGroup = { id: snapshot.id, path: [...snapshot.path], tokens: [...snapshot.tokens], count: resetCounts ? 0 : snapshot.count };
      miner.fileAt(group.path).groups.push(group);
      miner.byId.set(group.id, group);
    }
    const highest = Math.max(0, ...miner.byId.keys());
    miner.nextId = Math.max(state.nextId, highest + 1);
    return miner;
  }

  /**
   * A group filed under another first token whose template differs from `tokens` only there:
   * every later position equal or a variable, with at least MIN_SHARED_CONSTANTS equal words
   * (`GET … upstream error after <*>` and `POST … upstream error after <*>` are one template whose
   * first token is a variable). Only the first routing key may differ; the rest of `path` must match.
   */
  private groupWithOtherFirstToken(path: readonly string[], tokens: readonly string[]): TemplateGroup | null {
    if (path.length < 2) return null;
    const lengthNode = this.root.children.get(path[0] as string);
    if (lengthNode === undefined) return null;
    for (const [key, firstTokenNode] of lengthNode.children) {
      if (key === path[1]) continue;
      let node: TreeNode | undefined = firstTokenNode;
      for (let level = 2; level < path.length && node !== undefined; level++) node = node.children.get(path[level] as string);
      if (node === undefined) continue;
      for (const group of node.groups) if (differsOnlyInFirstToken(group.tokens, tokens)) return group;
    }
    return null;
  }

  /** Routing keys: the token count, then up to depth − 2 prefix tokens (variables → WILDCARD). */
  private routeOf(tokens: readonly string[]): string[] {
    const path = [String(tokens.length)];
    const prefixLength = Math.min(this.options.depth - 2, tokens.length);
    let node = this.root.children.get(path[0] as string);
    for (let i = 0; i < prefixLength; i++) {
      const token = tokens[i] as string;
      // A known branch is followed; a new token gets its own branch only while the node has room.
      const key = node?.children.has(token) || (node?.children.size ?? 0) < this.options.maxChildren - 1 ? token : WILDCARD;
      path.push(key);
      node = node?.children.get(key);
    }
    return path;
  }

  private findNode(path: readonly string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.root;
    for (const key of path) node = node?.children.get(key);
    return node;
  }

  /** The node at `path`, creating missing nodes. */
  private fileAt(path: readonly string[]): TreeNode {
    let node = this.root;
    for (const key of path) {
      let child = node.children.get(key);
      if (child === undefined) {
        child = newNode();
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }
}

/** Equal words (not variables) a message must share with a group filed under another first token. */
export const MIN_SHARED_CONSTANTS = 2;

function differsOnlyInFirstToken(template: readonly string[], tokens: readonly string[]): boolean {
  if (template.length !== tokens.length || tokens.length < 2) return false;
  let shared = 0;
  for (let i = 1; i < tokens.length; i++) {
    const known = template[i];
    if (known === WILDCARD) continue;
    if (known !== tokens[i]) return false;
    shared++;
  }
  return shared >= MIN_SHARED_CONSTANTS;
}

/** The most similar group reaching `threshold` (ties: more wildcards, then the older group). */
function bestGroup(groups: readonly TemplateGroup[], tokens: readonly string[], threshold: number): TemplateGroup | null {
  let best: TemplateGroup | null = null;
  let bestSimilarity = -1;
  let bestWildcards = -1;
  for (const group of groups) {
    if (group.tokens.length !== tokens.length) continue;
    let same = 0;
    let wildcards = 0;
    for (let i = 0; i < tokens.length; i++) {
      const known = group.tokens[i];
      // Equal tokens count, including two variables (so all-variable messages share a group).
      if (known === tokens[i]) same++;
      if (known === WILDCARD) wildcards++;
    }
    const similarity = tokens.length === 0 ? 1 : same / tokens.length;
    if (similarity > bestSimilarity || (similarity === bestSimilarity && wildcards > bestWildcards)) {
      best = group;
      bestSimilarity = similarity;
      bestWildcards = wildcards;
    }
  }
  return best !== null && bestSimilarity >= threshold ? best : null;
}

function mergeInto(group: TemplateGroup, tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (group.tokens[i] !== tokens[i]) group.tokens[i] = WILDCARD;
  }
}

function checkOptions(options: TemplateMinerOptions): TemplateMinerOptions {
  const { depth, similarity, maxChildren, maxTokens, maxTemplates } = options;
  const int = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!int(depth, 3, 16)) throw new ValidationError(`template miner depth must be an integer in [3, 16], got ${String(depth)}`);
  if (!(typeof similarity === 'number' && similarity > 0 && similarity <= 1)) throw new ValidationError(`template miner similarity must be in (0, 1], got ${String(similarity)}`);
  if (!int(maxChildren, 2, 100_000)) throw new ValidationError(`template miner maxChildren must be an integer in [2, 100000], got ${String(maxChildren)}`);
  if (!int(maxTokens, 1, 1000)) throw new ValidationError(`template miner maxTokens must be an integer in [1, 1000], got ${String(maxTokens)}`);
  if (!int(maxTemplates, 1, 1_000_000)) throw new ValidationError(`template miner maxTemplates must be an integer in [1, 1000000], got ${String(maxTemplates)}`);
  return Object.freeze({ depth, similarity, maxChildren, maxTokens, maxTemplates });
}
