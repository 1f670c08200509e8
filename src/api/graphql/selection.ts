import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

const answers = new WeakMap<FieldNode, Map<string, boolean>>();

/**
 * Whether the field being resolved selects `name` directly (through fragments too). `@skip`/`@include` are not
 * evaluated: a field that may be selected counts as selected. Remembered per field node, which a cached document keeps.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const node = info.fieldNodes[0];
  let known = answers.get(node);
  if (!known) answers.set(node, (known = new Map<string, boolean>()));
  let answer = known.get(name);
  if (answer === undefined) {
    answer = info.fieldNodes.some(
      (field) => field.selectionSet !== undefined && inSelection(field.selectionSet, name, info, new Set()),
    );
    known.set(name, answer);
  }
  return answer;
}

function inSelection(set: SelectionSetNode, name: string, info: GraphQLResolveInfo, visited: Set<string>): boolean {
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === name;
      case Kind.INLINE_FRAGMENT:
        return inSelection(selection.selectionSet, name, info, visited);
      case Kind.FRAGMENT_SPREAD: {
        const fragment = info.fragments[selection.name.value];
        if (!fragment || visited.has(fragment.name.value)) return false;
        visited.add(fragment.name.value);
        return inSelection(fragment.selectionSet, name, info, visited);
      }
    }
  });
}
