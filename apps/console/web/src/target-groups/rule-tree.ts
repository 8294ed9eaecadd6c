/**
 * The target-group rule tree as the rule builder edits it, and its wire form (segmentation's
 * JSON: `{ all: [...] }`, `{ any: [...] }`, `{ not: node }`, `{ field, op, value }`).
 */

/** One field of segmentation's catalogue (GET /target-groups/fields). */
export type CatalogueField = {
  name: string;
  /** text, number, date, boolean, or enum (with `values`). */
  type: string;
  operators: string[];
  label?: string;
  description?: string;
  values?: string[];
  source?: string;
};

export type ConditionNode = { kind: 'condition'; id: string; field: string; op: string; value: unknown };
export type GroupNode = { kind: 'group'; id: string; combinator: 'all' | 'any'; negated: boolean; children: RuleNode[] };
export type RuleNode = ConditionNode | GroupNode;

export type WireRule = { all: WireRule[] } | { any: WireRule[] } | { not: WireRule } | { field: string; op: string; value?: unknown };

/** What an operator needs as its value. */
export type ValueShape = 'none' | 'single' | 'list' | 'range' | 'stage-change';

let counter = 0;
const nextId = (): string => `n${++counter}`;

export function emptyGroup(combinator: 'all' | 'any' = 'all'): GroupNode {
  return { kind: 'group', id: nextId(), combinator, negated: false, children: [] };
}

export function newCondition(field: CatalogueField | undefined): ConditionNode {
  const op = field?.operators[0] ?? 'eq';
  return { kind: 'condition', id: nextId(), field: field?.name ?? '', op, value: defaultValue(field, op) };
}

export function valueShape(op: string): ValueShape {
  switch (op) {
    case 'is_null':
    case 'is_not_null':
      return 'none';
    case 'in':
    case 'not_in':
      return 'list';
    case 'between':
      return 'range';
    case 'changed':
    case 'changed_stage':
    case 'stage_changed':
      return 'stage-change';
    default:
      return 'single';
  }
}

export function defaultValue(field: CatalogueField | undefined, op: string): unknown {
  switch (valueShape(op)) {
    case 'none':
      return undefined;
    case 'list':
      return [];
    case 'range':
      return [null, null];
    case 'stage-change':
      return { from: null, to: null, withinDays: 1 };
    case 'single':
      return field?.type === 'boolean' ? true : null;
  }
}

/** The tree with `update` applied to the node `id` (a new tree; the old one is untouched). */
export function updateNode(tree: GroupNode, id: string, update: (node: RuleNode) => RuleNode): GroupNode {
  const visit = (node: RuleNode): RuleNode => {
    if (node.id === id) return update(node);
    if (node.kind === 'group') return { ...node, children: node.children.map(visit) };
    return node;
  };
  return visit(tree) as GroupNode;
}

export function addChild(tree: GroupNode, groupId: string, child: RuleNode): GroupNode {
  return updateNode(tree, groupId, (node) => (node.kind === 'group' ? { ...node, children: [...node.children, child] } : node));
}

export function removeNode(tree: GroupNode, id: string): GroupNode {
  const visit = (node: GroupNode): GroupNode => ({
    ...node,
    children: node.children.filter((child) => child.id !== id).map((child) => (child.kind === 'group' ? visit(child) : child)),
  });
  return visit(tree);
}

/** Changing the field or operator resets the value to one that fits. */
export function changeCondition(node: ConditionNode, change: { field?: CatalogueField; op?: string }): ConditionNode {
  if (change.field) {
    const op = change.field.operators.includes(node.op) ? node.op : (change.field.operators[0] ?? 'eq');
    return { ...node, field: change.field.name, op, value: defaultValue(change.field, op) };
  }
  if (change.op !== undefined && change.op !== node.op) {
    const sameShape = valueShape(change.op) === valueShape(node.op);
    return { ...node, op: change.op, value: sameShape ? node.value : defaultValue(undefined, change.op) };
  }
  return node;
}

export function toWire(node: RuleNode): WireRule {
  if (node.kind === 'condition') {
    return valueShape(node.op) === 'none' ? { field: node.field, op: node.op } : { field: node.field, op: node.op, value: node.value };
  }
  const inner: WireRule = node.combinator === 'all' ? { all: node.children.map(toWire) } : { any: node.children.map(toWire) };
  return node.negated ? { not: inner } : inner;
}

export function fromWire(rule: WireRule): GroupNode {
  const node = nodeFromWire(rule);
  if (node.kind === 'group') return node;
  return { ...emptyGroup(), children: [node] };
}

function nodeFromWire(rule: WireRule): RuleNode {
  if ('all' in rule) return { ...emptyGroup('all'), children: rule.all.map(nodeFromWire) };
  if ('any' in rule) return { ...emptyGroup('any'), children: rule.any.map(nodeFromWire) };
  if ('not' in rule) {
    const inner = nodeFromWire(rule.not);
    return inner.kind === 'group' ? { ...inner, negated: !inner.negated } : { ...emptyGroup('all'), negated: true, children: [inner] };
  }
  return { kind: 'condition', id: nextId(), field: rule.field, op: rule.op, value: rule.value };
}

/**
 * The JSON path (`$.all[0].any[1]`) of every node of the tree in wire form, so an API error
 * naming a path lands on the condition or group it concerns.
 */
export function wirePaths(tree: GroupNode): Map<string, string> {
  const paths = new Map<string, string>();
  const visit = (node: RuleNode, path: string): void => {
    if (node.kind === 'condition') {
      paths.set(node.id, path);
      return;
    }
    const base = node.negated ? `${path}.not` : path;
    paths.set(node.id, path);
    node.children.forEach((child, index) => visit(child, `${base}.${node.combinator}[${index}]`));
  };
  visit(tree, '$');
  return paths;
}

/** What is missing before the tree can be previewed: one message per incomplete condition. */
export function incompleteConditions(tree: GroupNode): string[] {
  const problems: string[] = [];
  const visit = (node: RuleNode): void => {
    if (node.kind === 'group') {
      node.children.forEach(visit);
      return;
    }
    if (!node.field) problems.push('a condition has no field');
    else if (!isValueComplete(node)) problems.push(`${node.field}: the value is missing`);
  };
  visit(tree);
  return problems;
}

function isValueComplete(node: ConditionNode): boolean {
  const { value } = node;
  switch (valueShape(node.op)) {
    case 'none':
      return true;
    case 'single':
      return value !== null && value !== undefined && value !== '';
    case 'list':
      return Array.isArray(value) && value.length > 0;
    case 'range':
      return Array.isArray(value) && value.length === 2 && value.every((part) => part !== null && part !== '');
    case 'stage-change': {
      const change = value as { from?: unknown; to?: unknown; withinDays?: unknown } | null;
      return !!change && !!change.to && typeof change.withinDays === 'number';
    }
  }
}
