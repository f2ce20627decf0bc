{{/* One KEDA redis trigger of the mode in use. Args: dict "root" $ "name" NAME "key" REDIS_KEY. */}}
{{- define "agentvine.redisTrigger" -}}
{{- $r := .root.Values.redis -}}
- type: {{ get (dict "standalone" "redis" "sentinel" "redis-sentinel" "cluster" "redis-cluster") $r.mode }}
  name: {{ .name }}
  metadata:
    {{- if eq $r.mode "standalone" }}
    address: {{ printf "%s:%v" $r.standalone.host $r.standalone.port | quote }}
    databaseIndex: {{ $r.database | quote }}
    {{- else if eq $r.mode "sentinel" }}
    addresses: {{ join "," $r.sentinel.hosts | quote }}
    sentinelMaster: {{ $r.sentinel.masterName | quote }}
    databaseIndex: {{ $r.database | quote }}
    {{- else }}
    addresses: {{ join "," $r.cluster.nodes | quote }}
    {{- end }}
    # The hash tag keeps every key of the type in one Redis Cluster slot; quoted, "{" is YAML.
    listName: {{ .key | quote }}
    listLength: "1"
    enableTLS: {{ $r.tls | quote }}
  {{- if or $r.auth.enabled (and (eq $r.mode "sentinel") $r.sentinel.auth) }}
  authenticationRef:
    name: {{ include "agentvine.fullname" .root }}-redis
  {{- end }}
{{- end -}}
