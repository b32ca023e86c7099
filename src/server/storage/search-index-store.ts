/**
 * The search index's part of the storage port: bringing the index up to date after commits.
 * Messages are searchable the moment they commit (a search reads what is not indexed yet from
 * the messages themselves); indexing only makes searching them cheap.
 */
export interface SearchIndexStore {
  /**
   * Indexes up to `maxChanges` changes not indexed yet (new, edited and deleted messages):
   * how many it indexed and whether more may be waiting; undefined when another node is
   * indexing at this moment.
   */
  indexPending(maxChanges: number): Promise<{ indexed: number; more: boolean } | undefined>;
  /** How many chats have changes not indexed yet (metrics, the benchmark). */
  chatsBehind(): Promise<number>;
}
