export type { Team, TeamMember } from './teams.ts';
export {
  listTeams,
  findTeam,
  teamNameTaken,
  createTeam,
  renameTeam,
  deleteTeam,
  setTeamMember,
  removeTeamMember,
  supervisedAgentIds,
} from './teams.ts';
