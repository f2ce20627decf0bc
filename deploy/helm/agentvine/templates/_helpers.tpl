{{/* Names and labels. */}}
{{- define "agentvine.fullname" -}}
{{- if contains "agentvine" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-agentvine" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "agentvine.labels" -}}
app.kubernetes.io/name: agentvine
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "agentvine.selector" -}}
app.kubernetes.io/name: agentvine
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "agentvine.secretName" -}}
{{- default (printf "%s-secrets" (include "agentvine.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "agentvine.controllerName" -}}
{{- printf "%s-controller" (include "agentvine.fullname" .) -}}
{{- end -}}

{{- define "agentvine.workerServiceAccount" -}}
{{- default (printf "%s-worker" (include "agentvine.fullname" .)) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "agentvine.controllerServiceAccount" -}}
{{- if .Values.serviceAccount.name -}}{{ .Values.serviceAccount.name }}{{- else -}}{{ printf "%s-controller" (include "agentvine.fullname" .) }}{{- end -}}
{{- end -}}

{{/*
REDIS_URL, the one the controller and the workers read. The password is a reference to the
REDIS_PASSWORD variable of the container (set from the Secret just before), which Kubernetes
expands: it never appears in the rendered manifest.
*/}}
{{- define "agentvine.redisUrl" -}}
{{- $r := .Values.redis -}}
{{- $auth := "" -}}
{{- if $r.auth.enabled -}}{{- $auth = printf "%s:$(REDIS_PASSWORD)@" $r.auth.username -}}{{- end -}}
{{- if eq $r.mode "standalone" -}}
{{- printf "%s://%s%s:%v/%v" (ternary "rediss" "redis" $r.tls) $auth $r.standalone.host $r.standalone.port $r.database -}}
{{- else if eq $r.mode "sentinel" -}}
{{- printf "%s://%s%s/%v#%s" (ternary "rediss-sentinel" "redis-sentinel" $r.tls) $auth (join "," $r.sentinel.hosts) $r.database $r.sentinel.masterName -}}
{{- else -}}
{{- printf "%s://%s%s" (ternary "rediss-cluster" "redis-cluster" $r.tls) $auth (join "," $r.cluster.nodes) -}}
{{- end -}}
{{- end -}}

{{/* The environment that carries REDIS_URL (REDIS_PASSWORD first: REDIS_URL refers to it). */}}
{{- define "agentvine.redisEnv" -}}
{{- if .Values.redis.auth.enabled }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "agentvine.secretName" . }}
      key: redis-password
{{- end }}
- name: REDIS_URL
  value: {{ include "agentvine.redisUrl" . | quote }}
- name: AGENTVINE_QUEUE_NAMESPACE
  value: {{ .Values.queueNamespace | quote }}
{{- end -}}

{{/* An optional variable from the Secret. Args: dict "root" $ "name" VAR "key" KEY. */}}
{{- define "agentvine.optionalSecretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "agentvine.secretName" .root }}
      key: {{ .key }}
      optional: true
{{- end -}}

{{/* A worker entry merged over workerDefaults. Args: dict "root" $ "worker" ENTRY. Returns YAML. */}}
{{- define "agentvine.worker" -}}
{{- $w := mergeOverwrite (deepCopy .root.Values.workerDefaults) (deepCopy .worker) -}}
{{- toYaml $w -}}
{{- end -}}

{{/* Seconds a worker's runs get after SIGTERM, and its pod's grace period. Arg: the merged worker. */}}
{{- define "agentvine.shutdownGrace" -}}
{{- add (int .taskTimeoutSeconds) (int .drainSeconds) -}}
{{- end -}}
{{- define "agentvine.terminationGrace" -}}
{{- add (int .taskTimeoutSeconds) (int .drainSeconds) (int .stopMarginSeconds) -}}
{{- end -}}

{{/* A worker type's resource name: a type may hold "_", which a Kubernetes name may not. */}}
{{- define "agentvine.workerName" -}}
{{- printf "%s-worker-%s" (include "agentvine.fullname" .root) (.type | replace "_" "-") | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The Redis keys KEDA counts for a type: the three priority lists and the leases. */}}
{{- define "agentvine.queuePrefix" -}}
{{- printf "{%s:%s}:" .root.Values.queueNamespace .type -}}
{{- end -}}

{{/* NetworkPolicy: egress to DNS. */}}
{{- define "agentvine.egressCommon" -}}
{{- $np := .Values.networkPolicy -}}
{{- $r := .Values.redis -}}
- # DNS
  {{- with $np.dnsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- else }}
  to:
    - namespaceSelector: {}
  {{- end }}
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end -}}

{{/* The worker types that are not built in, comma-separated (AGENTVINE_CUSTOM_TASK_TYPES). */}}
{{- define "agentvine.customTypes" -}}
{{- $builtIn := list "feature" "bugfix" "test" "docs" "refactor" "review" -}}
{{- $custom := list -}}
{{- range .Values.workers -}}
{{- if not (has .type $builtIn) -}}{{- $custom = append $custom .type -}}{{- end -}}
{{- end -}}
{{- join "," (uniq $custom) -}}
{{- end -}}
