/** A node that can sit in one IntrusiveList at a time; the list writes these links. */
export interface ListNode<T> {
  prev: T | null;
  next: T | null;
  /** True while the node is in a list: removal is idempotent and O(1). */
  linked: boolean;
}

/**
 * A doubly linked FIFO whose nodes carry their own links: push, shift and removal of any node
 * (an aborted waiter, a released holder) are O(1) and allocate nothing, unlike Array#shift or splice.
 */
export class IntrusiveList<T extends ListNode<T>> {
  head: T | null = null;
  tail: T | null = null;
  size = 0;

  push(node: T): void {
    node.prev = this.tail;
    node.next = null;
    node.linked = true;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size += 1;
  }

  shift(): T | null {
    const node = this.head;
    if (node !== null) this.remove(node);
    return node;
  }

  remove(node: T): boolean {
    if (!node.linked) return false;
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.linked = false;
    this.size -= 1;
    return true;
  }
}
