{{/*
A worker's pod spec. Args: dict "root" $ "w" <merged worker> "once" <bool: a ScaledJob's pod>.
*/}}
{{- define "agentvine.workerPodSpec" -}}
{{- $root := .root -}}
{{- $w := .w -}}
{{- $secret := include "agentvine.secretName" $root -}}
{{- $cost := and $w.podDeletionCost.enabled (not .once) -}}
serviceAccountName: {{ include "agentvine.workerServiceAccount" $root }}
automountServiceAccountToken: {{ $cost }}
terminationGracePeriodSeconds: {{ include "agentvine.terminationGrace" $w }}
{{- if .once }}
restartPolicy: Never
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: worker
    image: "{{ $root.Values.image.worker.repository }}:{{ $root.Values.image.worker.tag }}"
    imagePullPolicy: {{ $root.Values.image.worker.pullPolicy }}
    {{- if .once }}
    args: ["--once"]
    {{- end }}
    securityContext:
      {{- toYaml $root.Values.containerSecurityContext | nindent 6 }}
    env:
      - name: AGENTVINE_WORKER_NAME
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      - name: AGENTVINE_WORKER_TYPES
        value: {{ $w.type | quote }}
      {{- if not (has $w.type (list "feature" "bugfix" "test" "docs" "refactor" "review")) }}
      - name: AGENTVINE_CUSTOM_TASK_TYPES
        value: {{ $w.type | quote }}
      {{- end }}
      - name: AGENTVINE_CONTROLLER_URL
        value: {{ printf "http://%s:%v" (include "agentvine.controllerName" $root) $root.Values.controller.service.port | quote }}
      - name: AGENTVINE_API_KEY
        valueFrom:
          secretKeyRef:
            name: {{ $secret }}
            key: worker-key
      {{- include "agentvine.redisEnv" $root | trim | nindent 6 }}
      - name: AGENTVINE_AGENT
        value: {{ $w.agent | quote }}
      {{- if $w.agentCommand }}
      - name: AGENTVINE_AGENT_COMMAND
        value: {{ $w.agentCommand | quote }}
      {{- end }}
      - name: AGENTVINE_MAX_CONCURRENT_TASKS
        value: {{ $w.concurrency | quote }}
      - name: AGENTVINE_TASK_TIMEOUT
        value: {{ printf "%ds" (int $w.taskTimeoutSeconds) | quote }}
      - name: AGENTVINE_SHUTDOWN_GRACE
        value: {{ printf "%ss" (include "agentvine.shutdownGrace" $w) | quote }}
      - name: AGENTVINE_WORKSPACE_DIR
        value: /var/lib/agentvine/workspaces
      - name: AGENTVINE_LOG_DIR
        value: /var/lib/agentvine/logs
      - name: AGENTVINE_LOG_FORMAT
        value: json
      - name: HOME
        value: /home/agentvine
      {{- if $w.javaOpts }}
      - name: JAVA_OPTS
        value: {{ $w.javaOpts | quote }}
      {{- end }}
      {{- if gt (int $w.metricsPort) 0 }}
      - name: AGENTVINE_WORKER_METRICS_PORT
        value: {{ $w.metricsPort | quote }}
      {{- end }}
      {{- if .once }}
      - name: AGENTVINE_ONCE_IDLE_EXIT
        value: {{ printf "%ds" (int $w.autoscaling.job.idleExitSeconds) | quote }}
      {{- end }}
      {{- if $cost }}
      # The worker sets its own pod's deletion cost (io.agentvine.worker.kubernetes).
      - name: POD_NAME
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      - name: POD_NAMESPACE
        valueFrom:
          fieldRef:
            fieldPath: metadata.namespace
      - name: AGENTVINE_POD_DELETION_COST_IDLE
        value: {{ $w.podDeletionCost.idle | quote }}
      - name: AGENTVINE_POD_DELETION_COST_BUSY
        value: {{ $w.podDeletionCost.busy | quote }}
      {{- end }}
      {{- include "agentvine.optionalSecretEnv" (dict "root" $root "name" "AGENTVINE_GIT_TOKEN" "key" "git-token") | nindent 6 }}
      {{- include "agentvine.optionalSecretEnv" (dict "root" $root "name" "AGENTVINE_GITHUB_TOKEN" "key" "github-token") | nindent 6 }}
      {{- include "agentvine.optionalSecretEnv" (dict "root" $root "name" "ANTHROPIC_API_KEY" "key" "anthropic-api-key") | nindent 6 }}
      {{- include "agentvine.optionalSecretEnv" (dict "root" $root "name" "OPENAI_API_KEY" "key" "openai-api-key") | nindent 6 }}
      {{- range $name, $value := $w.env }}
      - name: {{ $name }}
        value: {{ $value | quote }}
      {{- end }}
    {{- if gt (int $w.metricsPort) 0 }}
    ports:
      - name: metrics
        containerPort: {{ $w.metricsPort }}
        protocol: TCP
    {{- end }}
    resources:
      {{- toYaml $w.resources | nindent 6 }}
    volumeMounts:
      - name: work
        mountPath: /var/lib/agentvine
      - name: tmp
        mountPath: /tmp
      - name: home
        mountPath: /home/agentvine
      {{- with $w.extraVolumeMounts }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
volumes:
  - name: work
    emptyDir:
      sizeLimit: {{ $w.workspace.sizeLimit }}
      {{- with $w.workspace.medium }}
      medium: {{ . }}
      {{- end }}
  - name: tmp
    emptyDir:
      sizeLimit: {{ $w.tmpSizeLimit }}
  - name: home
    emptyDir:
      sizeLimit: 1Gi
{{- with $w.extraVolumes }}
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with $w.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $w.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $w.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
