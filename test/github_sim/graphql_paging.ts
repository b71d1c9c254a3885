// GitHub's GraphQL paging as the simulator answers it: opaque cursors, `first`/`last` required and at most 100, and
// connection objects whose nodes and edges are built only when a query selects them.
import {GraphQLError} from 'graphql';

type Obj = Record<string, unknown>;

export interface ConnArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export const fail = (type: string, message: string): GraphQLError => new GraphQLError(message, {extensions: {type}});

const cursorOf = (i: number): string => Buffer.from(`cursor:v2:${i}`).toString('base64');
function indexOf(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw fail('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

/** A connection page with GitHub's paging rules: `first` or `last` is required and at most 100. */
export function connection<T>(name: string, items: readonly T[], args: ConnArgs, node: (t: T) => unknown, edge?: (t: T) => Obj): Obj {
  const {first, last} = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw fail('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  }
  for (const [key, n] of [['first', first], ['last', last]] as const) {
    if (typeof n === 'number' && (n < 0 || n > 100)) {
      throw fail('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`${name}\` connection exceeds the \`${key}\` limit of 100 records.`);
    }
  }
  let start = args.after ? indexOf(args.after) + 1 : 0;
  let end = args.before ? indexOf(args.before) : items.length;
  if (typeof first === 'number') end = Math.min(end, start + first);
  if (typeof last === 'number') start = Math.max(start, end - last);
  return new Connection(items, start, Math.max(start, end), node, edge) as unknown as Obj;
}

/**
 * One page of a connection. Lazy, and a class rather than closures: a batch of 100 repositories selects edges only,
 * and building unselected objects (cursors above all) was most of the cost.
 */
class Connection<T> {
  constructor(private readonly items: readonly T[], private readonly start: number, private readonly end: number,
    private readonly node: (t: T) => unknown, private readonly edge: ((t: T) => Obj) | undefined) {}

  get totalCount(): number {
    return this.items.length;
  }

  nodes(): unknown[] {
    return this.items.slice(this.start, this.end).map(this.node);
  }

  edges(): Edge<T>[] {
    const {start, node, edge} = this;
    return this.items.slice(start, this.end).map((t, i) => {
      const e = new Edge(t, start + i, node);
      return edge ? Object.assign(e, edge(t)) : e;
    });
  }

  get pageInfo(): Obj {
    const {start, end} = this;
    const some = end > start;
    return {hasNextPage: end < this.items.length, hasPreviousPage: start > 0,
      startCursor: some ? cursorOf(start) : null, endCursor: some ? cursorOf(end - 1) : null};
  }
}

/** An edge: its cursor and node are built only when selected; the connection's own edge fields are copied in. */
class Edge<T> {
  constructor(private readonly item: T, private readonly index: number, private readonly build: (t: T) => unknown) {}

  get cursor(): string {
    return cursorOf(this.index);
  }

  get node(): unknown {
    return this.build(this.item);
  }
}
