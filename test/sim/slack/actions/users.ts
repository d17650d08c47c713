// Profile changes reach every app in the workspace as user_change, carrying the whole updated user.
import type { User, UserProfile } from "../model.js";
import type { ActionContext } from "./context.js";

export function updateProfile(context: ActionContext, user: User, changes: Partial<UserProfile> & { name?: string }): void {
  const { name, ...profile } = changes;
  if (name !== undefined) user.name = name;
  Object.assign(user.profile, profile);
  user.updated = context.clock.seconds();
  const team = context.state.team(user.teamId);
  context.dispatcher.emit(team, { type: "user_change", user: context.serialize.user(user), cache_ts: user.updated, event_ts: context.clock.next() });
}
