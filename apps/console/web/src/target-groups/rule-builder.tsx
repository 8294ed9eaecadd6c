import { ActionIcon, Alert, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import {
  addChild,
  changeCondition,
  emptyGroup,
  newCondition,
  removeNode,
  updateNode,
  valueShape,
  wirePaths,
  type CatalogueField,
  type ConditionNode,
  type GroupNode,
  type RuleNode,
} from './rule-tree';

const OPERATOR_LABELS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  is_null: 'is empty',
  is_not_null: 'is not empty',
  changed: 'changed stage',
  changed_stage: 'changed stage',
  stage_changed: 'changed stage',
};

export type RuleBuilderProps = {
  fields: readonly CatalogueField[];
  value: GroupNode;
  onChange: (tree: GroupNode) => void;
  /** API errors by JSON path of the wire rule (`$.all[1].value`): shown on the node they concern. */
  errors?: Record<string, string>;
};

/** Edits a target group's rule tree over the field catalogue: nested all/any groups, "not", conditions. */
export function RuleBuilder({ fields, value, onChange, errors = {} }: RuleBuilderProps) {
  const paths = useMemo(() => wirePaths(value), [value]);
  const byName = useMemo(() => new Map(fields.map((field) => [field.name, field])), [fields]);
  const placed = new Set<string>();
  const errorFor = (node: RuleNode): string | undefined => {
    const path = paths.get(node.id);
    if (!path) return undefined;
    const hits = Object.entries(errors).filter(([errorPath]) => errorPath === path || (node.kind === 'condition' && errorPath.startsWith(`${path}.`)));
    hits.forEach(([errorPath]) => placed.add(errorPath));
    return hits.length > 0 ? hits.map(([, message]) => message).join('; ') : undefined;
  };
  const context: NodeContext = { fields, byName, tree: value, onChange, errorFor };
  const body = <GroupEditor node={value} depth={0} context={context} />;
  const unplaced = Object.entries(errors).filter(([path]) => !placed.has(path));
  return (
    <Stack gap="xs">
      {body}
      {unplaced.length > 0 && (
        <Alert color="red" role="alert" title="The rule is not valid">
          {unplaced.map(([path, message]) => (
            <Text size="sm" key={path}>
              {message} ({path})
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}

type NodeContext = {
  fields: readonly CatalogueField[];
  byName: Map<string, CatalogueField>;
  tree: GroupNode;
  onChange: (tree: GroupNode) => void;
  errorFor: (node: RuleNode) => string | undefined;
};

function GroupEditor({ node, depth, context }: { node: GroupNode; depth: number; context: NodeContext }) {
  const { tree, onChange } = context;
  const label = depth === 0 ? 'Customers who match' : `Nested group (level ${depth})`;
  const error = context.errorFor(node);
  return (
    <Paper withBorder p="sm" bg={depth % 2 === 0 ? 'gray.0' : 'white'} role="group" aria-label={label}>
      <Stack gap="xs">
        <Group gap="sm" wrap="wrap">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <SegmentedControl
            size="xs"
            aria-label={`${label}: combine the conditions with`}
            value={node.combinator}
            onChange={(combinator) => onChange(updateNode(tree, node.id, (current) => ({ ...(current as GroupNode), combinator: combinator })))}
            data={[
              { value: 'all', label: 'all of' },
              { value: 'any', label: 'any of' },
            ]}
          />
          <Checkbox size="xs" label="none of these (not)" checked={node.negated} onChange={(event) => onChange(updateNode(tree, node.id, (current) => ({ ...(current as GroupNode), negated: event.currentTarget.checked })))} />
          {depth > 0 && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(removeNode(tree, node.id))}>
              Remove group
            </Button>
          )}
        </Group>
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        )}
        {node.children.length === 0 && (
          <Text size="sm" c="dimmed">
            No condition: {node.negated ? 'nobody' : 'every customer'}.
          </Text>
        )}
        {node.children.map((child, index) =>
          child.kind === 'group' ? (
            <GroupEditor key={child.id} node={child} depth={depth + 1} context={context} />
          ) : (
            <ConditionEditor key={child.id} node={child} position={index + 1} context={context} />
          ),
        )}
        <Group gap="xs">
          <Button size="compact-sm" variant="light" onClick={() => onChange(addChild(tree, node.id, newCondition(context.fields[0])))}>
            Add condition
          </Button>
          {depth < 3 && (
            <Button size="compact-sm" variant="default" onClick={() => onChange(addChild(tree, node.id, emptyGroup(node.combinator === 'all' ? 'any' : 'all')))}>
              Add group
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function ConditionEditor({ node, position, context }: { node: ConditionNode; position: number; context: NodeContext }) {
  const { tree, onChange, byName } = context;
  const field = byName.get(node.field);
  const set = (next: ConditionNode) => onChange(updateNode(tree, node.id, () => next));
  const error = context.errorFor(node);
  const name = `Condition ${position}`;
  return (
    <Stack gap={2} role="group" aria-label={name}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label="Field"
          aria-label={`${name}: field`}
          searchable
          w={220}
          value={node.field || null}
          data={context.fields.map((candidate) => ({ value: candidate.name, label: candidate.label ?? candidate.name }))}
          onChange={(fieldName) => {
            const chosen = fieldName ? byName.get(fieldName) : undefined;
            if (chosen) set(changeCondition(node, { field: chosen }));
          }}
          allowDeselect={false}
          error={error ? true : undefined}
        />
        <Select
          label="Operator"
          aria-label={`${name}: operator`}
          w={150}
          value={node.op}
          data={(field?.operators ?? [node.op]).map((op) => ({ value: op, label: OPERATOR_LABELS[op] ?? op }))}
          onChange={(op) => op && set(changeCondition(node, { op }))}
          allowDeselect={false}
        />
        <ValueEditor node={node} field={field} name={name} onChange={(value) => set({ ...node, value })} />
        <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove ${name.toLowerCase()}`} onClick={() => onChange(removeNode(tree, node.id))}>
          ×
        </ActionIcon>
      </Group>
      {field?.description && (
        <Text size="xs" c="dimmed">
          {field.description}
        </Text>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function ValueEditor({ node, field, name, onChange }: { node: ConditionNode; field: CatalogueField | undefined; name: string; onChange: (value: unknown) => void }) {
  const shape = valueShape(node.op);
  const type = field?.type ?? 'text';
  const label = `${name}: value`;
  switch (shape) {
    case 'none':
      return null;
    case 'list':
      return (
        <TagsInput
          label="Values"
          aria-label={label}
          w={260}
          data={field?.values ?? []}
          value={(Array.isArray(node.value) ? node.value : []).map(String)}
          onChange={(values) => onChange(type === 'number' ? values.map(Number).filter((number) => !Number.isNaN(number)) : values)}
          placeholder="Type and press Enter"
        />
      );
    case 'range': {
      const [from, to] = Array.isArray(node.value) ? (node.value as unknown[]) : [null, null];
      return (
        <Group gap={4} align="flex-end">
          <SingleValue type={type} values={field?.values} label="From" ariaLabel={`${name}: from`} value={from} onChange={(value) => onChange([value, to])} />
          <SingleValue type={type} values={field?.values} label="To" ariaLabel={`${name}: to`} value={to} onChange={(value) => onChange([from, value])} />
        </Group>
      );
    }
    case 'stage-change': {
      const change = (node.value ?? {}) as { from?: string | null; to?: string | null; withinDays?: number };
      const stages = field?.values ?? ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'];
      return (
        <Group gap={4} align="flex-end">
          <Select label="From stage" aria-label={`${name}: from stage`} w={140} data={stages} value={change.from ?? null} onChange={(from) => onChange({ ...change, from })} clearable placeholder="any" />
          <Select label="To stage" aria-label={`${name}: to stage`} w={140} data={stages} value={change.to ?? null} onChange={(to) => onChange({ ...change, to })} />
          <NumberInput label="Within days" aria-label={`${name}: within days`} w={110} min={1} max={365} value={change.withinDays ?? 1} onChange={(days) => onChange({ ...change, withinDays: typeof days === 'number' ? days : Number(days) })} />
        </Group>
      );
    }
    case 'single':
      return <SingleValue type={type} values={field?.values} label="Value" ariaLabel={label} value={node.value} onChange={onChange} />;
  }
}

function SingleValue({ type, values, label, ariaLabel, value, onChange }: { type: string; values?: string[]; label: string; ariaLabel: string; value: unknown; onChange: (value: unknown) => void }) {
  if (values && values.length > 0) {
    return <Select label={label} aria-label={ariaLabel} w={180} data={values} value={typeof value === 'string' || typeof value === 'number' ? String(value) : null} onChange={onChange} searchable />;
  }
  switch (type) {
    case 'number':
    case 'integer':
      return <NumberInput label={label} aria-label={ariaLabel} w={130} value={typeof value === 'number' ? value : ''} onChange={(number) => onChange(number === '' ? null : Number(number))} />;
    case 'boolean':
      return <Select label={label} aria-label={ariaLabel} w={100} data={['true', 'false']} value={value === false ? 'false' : 'true'} onChange={(text) => onChange(text === 'true')} allowDeselect={false} />;
    case 'date':
      return <TextInput label={label} aria-label={ariaLabel} type="date" w={160} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value || null)} />;
    default:
      return <TextInput label={label} aria-label={ariaLabel} w={180} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.currentTarget.value)} />;
  }
}
