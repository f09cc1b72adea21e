/**
 * Names GitLab EE reserves for licensed features. `POST /features/:name` refuses them unless the request says
 * `force=true`, with 400 "The '<name>' is a licensed feature name, and thus it cannot be used as a feature flag
 * name. Use `rails console` to set this feature flag state." (ee/app/services/ee/admin/set_feature_flag_service.rb,
 * `validate_feature_flag_name`: `GitlabSubscriptions::Features::PLANS_BY_FEATURE[name.to_sym]`), because
 * `feature_available?` also reads a feature flag of the same name: setting one can switch a paid feature on or off.
 * `DELETE /features/:name` checks nothing. GitLab CE checks no names.
 *
 * `PLANS_BY_FEATURE` holds every feature of a plan: STARTER_, PREMIUM_ and ULTIMATE_FEATURES and the three
 * *_FEATURES_WITH_USAGE_PING lists (GLOBAL_FEATURES only where a plan lists them too). flagops cannot ask an
 * instance for it, so this is a snapshot, used to warn offline; the instance's own answer at apply time is what
 * counts, and the backend reports that refusal the same way (see licensed-fit.ts).
 *
 * SOURCE: ee/app/models/gitlab_subscriptions/features.rb of GitLab (18.x development branch), commit
 * 326a2be2baeec031a9495b6801a1ff15e162fd83 of a public mirror of gitlab-org/gitlab, read 2026-12-01: 287 names.
 * RETIRED: names the previous snapshot (GitLab 17.x, same file) had and that commit no longer lists; instances
 * still on those releases refuse them, so they stay.
 */
const CURRENT = `
  admin_audit_log admin_merge_request_approvers_rules agent_managed_resources agentic_chat ai_analytics ai_catalog
  ai_chat ai_config_chat ai_features ai_workflows allow_personal_snippets amazon_q api_discovery api_fuzzing
  audit_events auditor_user auto_rollback blocked_issues blocked_work_items blocking_merge_requests
  board_assignee_lists board_iteration_lists board_milestone_lists board_status_lists branch_rule_squash_options
  built_in_project_templates_enabled ci_cd_catalog_publish_restriction ci_cd_projects
  ci_component_usages_in_projects ci_job_analytics_for_projects ci_pipeline_cancellation_restrictions
  ci_project_subscriptions ci_runner_controllers ci_secrets_management cluster_agents_ci_impersonation
  cluster_agents_user_impersonation cluster_deployments cluster_image_scanning cluster_receptive_agents
  code_owner_approval_required code_owners code_review_analytics code_suggestions commit_committer_check
  commit_committer_name_check compliance_framework compliance_pipeline_configuration configurable_work_item_types
  container_registry_immutable_tag_rules container_scanning container_scanning_for_registry
  container_virtual_registry contribution_analytics coverage_check_approval_rule coverage_fuzzing
  credentials_inventory cross_project_pipelines custom_compliance_frameworks custom_fields custom_file_templates
  custom_file_templates_for_namespace custom_project_templates custom_roles cycle_analytics_for_groups
  cycle_analytics_for_projects dast data_management db_load_balancing
  default_branch_protection_restriction_in_groups default_project_deletion_protection default_roles_assignees
  delete_unconfirmed_users dependency_firewall dependency_proxy_for_packages dependency_scanning description_diffs
  devops_adoption disable_deleting_account_for_users disable_extensions_marketplace_for_enterprise_users
  disable_invite_members disable_name_update_for_users disable_personal_access_tokens disable_private_profiles
  disable_ssh_keys domain_verification dora4_analytics elastic_search email_additional_text enterprise_templates
  environment_alerts epic_colors epics escalation_policies evaluate_group_level_compliance_pipeline
  experimental_features explain_code export_user_permissions extended_audit_events external_audit_events
  external_authorization_service_api_management external_status_checks feature_flags_code_references
  feature_flags_related_issues file_locks full_codequality_report generate_commit_message generate_description
  generate_test_file generic_alert_fingerprinting geo git_abuse_rate_limit git_two_factor_enforcement
  github_integration glab_ask_git_command group_activity_analytics group_allowed_email_domains group_bulk_edit
  group_ci_cd_analytics_pipelines group_ci_cd_analytics_releases group_coverage_reports group_forking_protection
  group_ip_restriction group_level_analytics_dashboard group_level_compliance_adherence_report
  group_level_compliance_dashboard group_level_compliance_violations_report group_level_devops_adoption
  group_level_merge_checks_setting group_milestone_project_releases group_project_templates
  group_protected_branches group_repository_analytics group_saml group_saved_replies group_scoped_ci_variables
  group_usage_billing group_webhooks group_wikis ide_schema_config incident_management incident_metric_upload
  incident_sla incident_timeline_view increased_saved_views_limit inline_codequality insights
  instance_level_devops_adoption instance_level_scim integrations_allow_list issuable_default_templates
  issuable_health_status issuable_resource_links issue_weights issues_analytics issues_completed_analytics
  iterations jira_issue_association_enforcement jira_issues_integration jira_vulnerabilities_integration
  kubernetes_cluster_vulnerabilities ldap_group_sync ldap_group_sync_filter license_information_source
  license_scanning linked_items_epics maintenance_mode mcp_server measure_comment_temperature member_lock
  merge_pipelines merge_request_approvers merge_request_performance_metrics merge_request_title_regex_check
  merge_trains metrics_reports microsoft_group_sync milestone_charts minimal_access_role
  multiple_alert_http_integrations multiple_approval_rules multiple_group_issue_boards multiple_issue_assignees
  multiple_ldap_servers multiple_merge_request_assignees multiple_merge_request_reviewers
  native_secrets_management object_storage observability observability_alerts oidc_client_groups_claim okrs
  oncall_schedules operations_dashboard orbit package_forwarding packages_virtual_registry pages_multiple_versions
  pages_size_limit password_complexity personal_access_token_expiration_policy pipelines_usage_quotas
  prevent_enterprise_user_account_deletion product_analytics productivity_analytics project_aliases
  project_level_analytics_dashboard project_level_compliance_adherence_report project_level_compliance_dashboard
  project_level_compliance_violations_report project_merge_request_analytics project_quality_summary
  project_saved_replies protected_environments protected_refs_for_users push_rules quality_management
  reject_non_dco_commits reject_unsigned_commits related_epics release_evidence_test_artifacts remote_development
  report_approver_rules repository_mirrors repository_size_limit requested_changes_block_merge_request
  required_ci_templates requirements resource_access_token review_merge_request runner_maintenance_note
  runner_maintenance_note_for_namespace runner_performance_insights runner_performance_insights_for_namespace
  runner_upgrade_management runner_upgrade_management_for_namespace saml_group_sync sarif sast sast_advanced
  sast_custom_rulesets sast_fp_reduction sast_iac scoped_issue_board scoped_labels seat_control seat_link
  seat_usage_quotas secret_detection secret_detection_validity_checks secret_push_protection security_attributes
  security_configuration_in_ui security_dashboard security_exclusions security_inventory security_on_demand_scans
  security_orchestration_policies security_scan_profiles security_scans_api security_training self_hosted_models
  semantic_code_search send_emails_from_admin_area smartcard_auth ssh_certificates ssh_key_expiration_policy
  stale_runner_cleanup_for_namespace status_page subepics suggested_reviewers summarize_comments
  summarize_mr_changes summarize_new_merge_request summarize_review swimlanes target_branch_rules
  transfer_usage_quotas troubleshoot_job type_of_work_analytics unique_project_download_limit
  unprotection_restrictions usage_billing vulnerability_finding_signatures wip_limits work_item_status
  zentao_issues_integration zoekt_code_search
`;

const RETIRED = `
  adjourned_deletion_for_projects_and_groups ai_agents ai_generate_cube_query ai_review_mr
  breach_and_attack_simulation combined_project_analytics_dashboards group_ci_cd_analytics
  pre_receive_secret_detection product_analytics_usage_quotas service_accounts summarize_my_mr_code_review
`;

const LICENSED_FEATURE_NAMES: ReadonlySet<string> = new Set(`${CURRENT} ${RETIRED}`.trim().split(/\s+/));

/** True when GitLab EE (snapshot) reserves `name` for a licensed feature. */
export function isReservedLicensedFeatureName(name: string): boolean {
  return LICENSED_FEATURE_NAMES.has(name);
}

/** How many names the snapshot holds (for tests and diagnostics). */
export function licensedFeatureNameCount(): number {
  return LICENSED_FEATURE_NAMES.size;
}
