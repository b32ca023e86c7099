/** A minimal typed event emitter: the client's subscribe API, with no dependencies. */

export type Unsubscribe = () => void;

type Listener = (...args: never[]) => void;

export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();

  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): Unsubscribe {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (error) {
        // A listener's bug must not break delivery to the others or the connection.
        console.error(`charla client: a "${String(event)}" listener threw`, error);
      }
    }
  }
}
