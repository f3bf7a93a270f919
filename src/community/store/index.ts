// The storage of one community, split by concern like the PDS actor store:
// each part owns its tables' SQL; the apply modules and the views hold the logic.
import { Sql } from "../../storage.ts";
import { ActionStore } from "./action-store.ts";
import { ActivityStore } from "./activity-store.ts";
import { ConfigStore } from "./config-store.ts";
import { KeptCountStore } from "./kept-counts.ts";
import { MemberStore } from "./member-store.ts";
import { MembershipStore } from "./membership-store.ts";
import { MetaStore } from "./meta-store.ts";
import { PinStore } from "./pin-store.ts";
import { PostStore } from "./post-store.ts";

export class CommunityStore {
  readonly sql: Sql;
  readonly meta: MetaStore;
  readonly config: ConfigStore;
  readonly memberships: MembershipStore;
  readonly members: MemberStore;
  readonly actions: ActionStore;
  readonly posts: PostStore;
  readonly activity: ActivityStore;
  readonly pins: PinStore;
  readonly counts: KeptCountStore;

  constructor(storage: DurableObjectStorage) {
    this.sql = new Sql(storage.sql);
    this.meta = new MetaStore(this.sql);
    this.config = new ConfigStore(this.sql);
    this.memberships = new MembershipStore(this.sql);
    this.members = new MemberStore(this.sql);
    this.actions = new ActionStore(this.sql);
    this.posts = new PostStore(this.sql);
    this.activity = new ActivityStore(this.sql);
    this.pins = new PinStore(this.sql);
    this.counts = new KeptCountStore(this.sql);
    this.transaction = (fn) => storage.transactionSync(fn);
  }

  /** Runs `fn` in one SQLite transaction: all of it is written, or none. */
  readonly transaction: <T>(fn: () => T) => T;
}
