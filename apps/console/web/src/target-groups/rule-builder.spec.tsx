import { fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { renderWithMantine } from '../test/render';
import { RuleBuilder } from './rule-builder';
import { emptyGroup, fromWire, incompleteConditions, toWire, wirePaths, type CatalogueField, type GroupNode, type WireRule } from './rule-tree';

const FIELDS: CatalogueField[] = [
  { name: 'lifecycle_stage', type: 'enum', operators: ['eq', 'neq', 'in', 'not_in'], values: ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'] },
  { name: 'spend_90d', type: 'number', operators: ['gt', 'gte', 'lt', 'lte', 'between', 'is_null'] },
  { name: 'registered_at', type: 'date', operators: ['lt', 'gte', 'between'] },
];

function Harness({ initial, onTree, errors }: { initial: GroupNode; onTree: (tree: GroupNode) => void; errors?: Record<string, string> }) {
  const [tree, setTree] = useState(initial);
  return (
    <RuleBuilder
      fields={FIELDS}
      value={tree}
      errors={errors}
      onChange={(next) => {
        setTree(next);
        onTree(next);
      }}
    />
  );
}

describe(RuleBuilder.name, () => {
  it('should build all-of conditions with a nested any-of group when the marketer clicks through it', () => {
    let tree = emptyGroup();
    renderWithMantine(<Harness initial={tree} onTree={(next) => (tree = next)} />);

    fireEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    fireEvent.click(screen.getAllByRole('button', { name: 'Add group' })[0]);
    const nested = screen.getByRole('group', { name: 'Nested group (level 1)' });
    fireEvent.click(within(nested).getByRole('button', { name: 'Add condition' }));

    expect(toWire(tree)).toEqual({ all: [{ field: 'lifecycle_stage', op: 'eq', value: null }, { any: [{ field: 'lifecycle_stage', op: 'eq', value: null }] }] });
  });

  it('should give a number field its operators and a number value, and a range two values', () => {
    let tree = fromWire({ all: [{ field: 'spend_90d', op: 'gt', value: 100 }] });
    renderWithMantine(<Harness initial={tree} onTree={(next) => (tree = next)} />);

    const value = screen.getByLabelText('Condition 1: value');
    fireEvent.change(value, { target: { value: '250' } });
    expect(toWire(tree)).toEqual({ all: [{ field: 'spend_90d', op: 'gt', value: 250 }] });
  });

  it('should remove a condition with its own labelled button', () => {
    let tree = fromWire({ any: [{ field: 'spend_90d', op: 'is_null' }, { field: 'lifecycle_stage', op: 'eq', value: 'active' }] });
    renderWithMantine(<Harness initial={tree} onTree={(next) => (tree = next)} />);

    fireEvent.click(screen.getByRole('button', { name: 'Remove condition 1' }));

    expect(toWire(tree)).toEqual({ any: [{ field: 'lifecycle_stage', op: 'eq', value: 'active' }] });
  });

  it('should show an API error on the condition its JSON path names', () => {
    const tree = fromWire({ all: [{ field: 'spend_90d', op: 'gt', value: 1 }, { field: 'registered_at', op: 'lt', value: 'yesterday' }] });
    renderWithMantine(<Harness initial={tree} onTree={() => undefined} errors={{ '$.all[1].value': 'registered_at needs a YYYY-MM-DD date' }} />);

    const second = screen.getByRole('group', { name: 'Condition 2' });
    expect(second.textContent).toContain('registered_at needs a YYYY-MM-DD date');
    expect(screen.getByRole('group', { name: 'Condition 1' }).textContent).not.toContain('YYYY-MM-DD');
  });

  it('should toggle "not" on a group and write it as a not node', () => {
    let tree = fromWire({ all: [{ field: 'lifecycle_stage', op: 'in', value: ['churned'] }] });
    renderWithMantine(<Harness initial={tree} onTree={(next) => (tree = next)} />);

    fireEvent.click(screen.getByLabelText('none of these (not)'));

    expect(toWire(tree)).toEqual({ not: { all: [{ field: 'lifecycle_stage', op: 'in', value: ['churned'] }] } });
  });
});

describe('the rule tree', () => {
  it('should read back what it writes, for nested and negated groups', () => {
    const rule: WireRule = { all: [{ field: 'a', op: 'eq', value: 1 }, { not: { any: [{ field: 'b', op: 'is_null' }, { all: [] }] } }] };
    expect(toWire(fromWire(rule))).toEqual(rule);
  });

  it('should give each node the JSON path of its wire form', () => {
    const tree = fromWire({ all: [{ field: 'a', op: 'eq', value: 1 }, { not: { any: [{ field: 'b', op: 'is_null' }] } }] });
    const nested = tree.children[1] as GroupNode;
    const paths = wirePaths(tree);
    expect(paths.get(tree.children[0].id)).toBe('$.all[0]');
    expect(paths.get(nested.id)).toBe('$.all[1]');
    expect(paths.get(nested.children[0].id)).toBe('$.all[1].not.any[0]');
  });

  it('should name the conditions still missing a value', () => {
    const tree = fromWire({ all: [{ field: 'a', op: 'eq', value: null }, { field: 'b', op: 'between', value: [1, null] }, { field: 'c', op: 'is_null' }, { field: 'd', op: 'in', value: ['x'] }] });
    expect(incompleteConditions(tree)).toEqual(['a: the value is missing', 'b: the value is missing']);
  });
});
