/** A minimal typed event emitter: the client's subscribe API, with no dependencies. */

export type Unsubscribe = () => void;

type Listener = (...args: never[]) => void;

export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();
  /** once() wrappers by original listener, so off(event, original) removes them too. */
  readonly #onceWrappers = new Map<Listener, Listener>();

  /** Adds a listener; returns the function that removes it (the same as {@link off}). */
  on<E extends keyof Events>(event: E, listener: Events[E]): Unsubscribe {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener that is removed after its first call. */
  once<E extends keyof Events>(event: E, listener: Events[E]): Unsubscribe {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      this.off(event, listener);
      (listener as (...a: Parameters<Events[E]>) => void)(...args);
    }) as unknown as Events[E];
    this.#onceWrappers.set(listener, wrapper);
    this.on(event, wrapper);
    return () => this.off(event, listener);
  }

  /** Removes a listener added with {@link on} or {@link once}; unknown ones are ignored. */
  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    set.delete(listener);
    const wrapper = this.#onceWrappers.get(listener);
    if (wrapper) {
      set.delete(wrapper);
      this.#onceWrappers.delete(listener);
    }
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
