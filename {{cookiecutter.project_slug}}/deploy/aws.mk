# AWS deploy steps of .github/workflows/deploy-aws-environment.yml, included by the Makefile.
# They read the GitHub environment's variables (AWS_ECS_CLUSTER, AWS_ECS_SERVICE,
# AWS_ECS_CONTAINER_NAME, AWS_ECS_NETWORK_CONFIG) from the environment and need the aws CLI with
# credentials for that account.
.PHONY: aws-task-definition aws-migrate aws-rollout

aws-task-definition: ## Print task_definition=<ARN of the task definition the service runs>
	@printf 'task_definition=%s\n' "$$(aws ecs describe-services --cluster "$$AWS_ECS_CLUSTER" \
		--services "$$AWS_ECS_SERVICE" --query 'services[0].taskDefinition' --output text)"

aws-migrate: ## Run `alembic upgrade head` as a one-off task of TASK_DEFINITION; fail unless it exits 0
	@task=$$(aws ecs run-task --cluster "$$AWS_ECS_CLUSTER" --task-definition "$(TASK_DEFINITION)" \
		--launch-type FARGATE --started-by migrations \
		--network-configuration "$$AWS_ECS_NETWORK_CONFIG" \
		--overrides "{\"containerOverrides\":[{\"name\":\"$$AWS_ECS_CONTAINER_NAME\",\"command\":[\"alembic\",\"upgrade\",\"head\"]}]}" \
		--query 'tasks[0].taskArn' --output text) \
	&& aws ecs wait tasks-stopped --cluster "$$AWS_ECS_CLUSTER" --tasks "$$task" \
	&& code=$$(aws ecs describe-tasks --cluster "$$AWS_ECS_CLUSTER" --tasks "$$task" \
		--query 'tasks[0].containers[0].exitCode' --output text) \
	&& echo "migration task $$task exited with $$code" && [ "$$code" = 0 ]

aws-rollout: ## Point the ECS service at TASK_DEFINITION and wait until it is stable
	aws ecs update-service --cluster "$$AWS_ECS_CLUSTER" --service "$$AWS_ECS_SERVICE" \
		--task-definition "$(TASK_DEFINITION)" --query 'service.taskDefinition' --output text
	aws ecs wait services-stable --cluster "$$AWS_ECS_CLUSTER" --services "$$AWS_ECS_SERVICE"
