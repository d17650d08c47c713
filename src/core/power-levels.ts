import type { MatrixApi } from "./matrix-api.js";

/** What reading power levels takes: room state, and the create event (room v12 creators). */
export type StateReader = Pick<MatrixApi, "getState" | "createEvent">;

export interface PowerLevels {
  users?: Record<string, number>;
  users_default?: number;
  events?: Record<string, number>;
  state_default?: number;
  notifications?: { room?: number };
}

/**
 * A user's power level. Room version 12 makes a room's creators more powerful than any
 * number: they appear in the create event (sender and additional_creators), not in the
 * power levels.
 */
export async function powerLevelOf(matrix: StateReader, roomId: string, userId: string): Promise<{ level: number; levels: PowerLevels }> {
  const levels = (await matrix.getState<PowerLevels>(roomId, "m.room.power_levels")) ?? {};
  const create = await matrix.createEvent(roomId);
  const content = (create?.content ?? {}) as { room_version?: string; additional_creators?: string[] };
  const isCreator = create?.sender === userId || content.additional_creators?.includes(userId) === true;
  if (isCreatorRoomVersion(content.room_version) && isCreator) return { level: Number.POSITIVE_INFINITY, levels };
  return { level: levels.users?.[userId] ?? levels.users_default ?? 0, levels };
}

function isCreatorRoomVersion(version: string | undefined): boolean {
  return version !== undefined && /^\d+$/.test(version) && Number(version) >= 12;
}

export async function mayChangePowerLevels(matrix: StateReader, roomId: string, userId: string): Promise<boolean> {
  const { level, levels } = await powerLevelOf(matrix, roomId, userId);
  return level >= (levels.events?.["m.room.power_levels"] ?? levels.state_default ?? 50);
}

/** `@room` needs the power level the room's `notifications.room` asks for (50 unless set). */
export async function mayPingRoom(matrix: StateReader, roomId: string, userId: string): Promise<boolean> {
  const { level, levels } = await powerLevelOf(matrix, roomId, userId);
  return level >= (levels.notifications?.room ?? 50);
}
