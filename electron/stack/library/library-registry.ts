/**
 * The primitives a process created through the library, for whoever wants to watch them. Today that is
 * the caller itself (`libraryRegistry.snapshot()` for logs or metrics); it is also the one place a live
 * reporter to the panel will read from, so nothing that creates primitives has to change when it comes.
 *
 * Entries hold a snapshot function, never the primitive's internals; a snapshot that throws is skipped.
 */
export type PrimitiveKind = 'semaphore' | 'worker-pool' | 'limiter' | 'pool';

export interface LibraryPrimitive {
  readonly kind: PrimitiveKind;
  readonly name: string;
  snapshot(): unknown;
}

export interface LibraryRegistry {
  /** Adds a primitive; returns the function that removes it again. */
  add(primitive: LibraryPrimitive): () => void;
  /** Every registered primitive's current snapshot, by kind. */
  snapshot(): { kind: PrimitiveKind; name: string; snapshot: unknown }[];
  /** Told of each add and removal (a reporter subscribes here). Returns the unsubscribe function. */
  subscribe(listener: (event: 'added' | 'removed', primitive: LibraryPrimitive) => void): () => void;
}

function createLibraryRegistry(): LibraryRegistry {
  const entries = new Set<LibraryPrimitive>();
  const listeners = new Set<(event: 'added' | 'removed', primitive: LibraryPrimitive) => void>();
  const tell = (event: 'added' | 'removed', primitive: LibraryPrimitive): void => {
    for (const listener of listeners) {
      try {
        listener(event, primitive);
      } catch {
        // A listener's bug must not break the code that created the primitive.
      }
    }
  };
  return {
    add(primitive) {
      entries.add(primitive);
      tell('added', primitive);
      return () => {
        if (entries.delete(primitive)) tell('removed', primitive);
      };
    },
    snapshot() {
      const out: { kind: PrimitiveKind; name: string; snapshot: unknown }[] = [];
      for (const entry of entries) {
        try {
          out.push({ kind: entry.kind, name: entry.name, snapshot: entry.snapshot() });
        } catch {
          // Skipped: one broken snapshot must not hide the others.
        }
      }
      return out;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** One per process (per loaded copy of the library). */
export const libraryRegistry: LibraryRegistry = createLibraryRegistry();
