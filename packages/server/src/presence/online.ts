/**
 * Who has a panel connected right now, per tenant. The agent gateway keeps
 * it (a user's first socket adds them, their last one going away removes
 * them); routing reads it. Shared by both, so neither has to know the other.
 */
export class OnlineUsers {
  readonly #users = new Set<string>();

  add(tenantId: string, userId: string): void {
    this.#users.add(`${tenantId}:${userId}`);
  }

  delete(tenantId: string, userId: string): void {
    this.#users.delete(`${tenantId}:${userId}`);
  }

  has(tenantId: string, userId: string): boolean {
    return this.#users.has(`${tenantId}:${userId}`);
  }

  clear(): void {
    this.#users.clear();
  }
}
