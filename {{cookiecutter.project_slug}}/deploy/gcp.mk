# Google Cloud deploy steps of .github/workflows/deploy-gcp-environment.yml, included by the
# Makefile. They read the GitHub environment's variables (GCP_REGION, GCP_CLOUD_RUN_SERVICE,
# GCP_MIGRATION_JOB) from the environment and need gcloud with credentials for that project.
.PHONY: gcp-revision gcp-migrate gcp-rollback

gcp-revision: ## Print revision=<the Cloud Run revision that serves now>
	@printf 'revision=%s\n' "$$(gcloud run services describe "$$GCP_CLOUD_RUN_SERVICE" \
		--region "$$GCP_REGION" --format 'value(status.latestReadyRevisionName)')"

gcp-migrate: ## Point the migration job at IMAGE and run it to completion
	gcloud run jobs update "$$GCP_MIGRATION_JOB" --region "$$GCP_REGION" --image "$(IMAGE)"
	gcloud run jobs execute "$$GCP_MIGRATION_JOB" --region "$$GCP_REGION" --wait

gcp-rollback: ## Send all traffic back to REVISION
	gcloud run services update-traffic "$$GCP_CLOUD_RUN_SERVICE" --region "$$GCP_REGION" \
		--to-revisions "$(REVISION)=100"
