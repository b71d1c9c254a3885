// The table of automatic actions, by step action name.
import {PermanentError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import type {ActionHandler} from './action_kit.js';
import {
  cancelOrgInvitation, demoteOrgOwner, removeFromOrg, removeFromTeam, removeOutsideCollaborator,
  revokeCredentialAuthorization, revokePatGrant,
} from './actions_org.js';
import {cancelRepoInvitation, removeDeployKey, removeRepoAccess, setRepoAccessRead} from './actions_repo.js';
import type {AutoAction} from './model.js';

const HANDLERS: Readonly<Record<AutoAction, ActionHandler>> = {
  revoke_credential_authorization: revokeCredentialAuthorization,
  revoke_pat_grant: revokePatGrant,
  remove_from_org: removeFromOrg,
  remove_outside_collaborator: removeOutsideCollaborator,
  cancel_org_invitation: cancelOrgInvitation,
  demote_org_owner: demoteOrgOwner,
  remove_from_team: removeFromTeam,
  remove_repo_access: removeRepoAccess,
  set_repo_access_read: setRepoAccessRead,
  cancel_repo_invitation: cancelRepoInvitation,
  remove_deploy_key: removeDeployKey,
};

/** The handler of an automatic step; anything else was not planned by this provider (or is manual). */
export function handlerFor(step: StepSpec): ActionHandler {
  const h = (HANDLERS as Readonly<Record<string, ActionHandler>>)[step.action];
  if (!h || step.kind !== 'auto') {
    throw new PermanentError(`GitHub has no automatic action "${step.action}" (step ${step.id}).`);
  }
  return h;
}
