/** The flag of seed 004 (a global gitlab_com_derisk flag), as its definition file reads; shared by its stories. */
export const PARTITION_FLAG = 'enforce_explicit_connection_for_partitioned_shared_models';
export const PARTITION_FLAG_FILE = `---
name: ${PARTITION_FLAG}
description: Partition management classes refuse a shared model without an explicit connection
feature_issue_url: https://gitlab.example.com/group/app/-/issues/401
introduced_by_url: https://gitlab.example.com/group/app/-/merge_requests/120001
rollout_issue_url: https://gitlab.example.com/group/app/-/issues/402
milestone: '16.1'
group: group::database frameworks
type: gitlab_com_derisk
default_enabled: false
`;
