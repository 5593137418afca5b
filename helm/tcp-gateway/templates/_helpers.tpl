{{/* Chart name, truncated to the 63 characters Kubernetes allows in names. */}}
{{- define "tcp-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tcp-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tcp-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "tcp-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tcp-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tcp-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tcp-gateway.secretName" -}}
{{- default (include "tcp-gateway.fullname" .) .Values.adminPassword.existingSecret }}
{{- end }}

{{/* The Secret holding the Redis password: the existing one, or the chart's own. */}}
{{- define "tcp-gateway.redisSecretName" -}}
{{- if .Values.cluster.redis.password.existingSecret -}}
{{- .Values.cluster.redis.password.existingSecret -}}
{{- else -}}
{{- printf "%s-redis" (include "tcp-gateway.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Whole seconds in a Spring Boot duration ("500ms", "10s", "2m", "1h"), rounded up.
*/}}
{{- define "tcp-gateway.durationSeconds" -}}
{{- $d := toString . }}
{{- $n := regexFind "^[0-9]+" $d | atoi }}
{{- if hasSuffix "ms" $d }}{{ div (add $n 999) 1000 }}
{{- else if hasSuffix "s" $d }}{{ $n }}
{{- else if hasSuffix "m" $d }}{{ mul $n 60 }}
{{- else if hasSuffix "h" $d }}{{ mul $n 3600 }}
{{- else }}{{ div (add $n 999) 1000 }}
{{- end }}
{{- end }}

{{/*
The pod's grace period: the preStop pause, the gateway's grace period, the whole drain, and 10 s for
the JVM to finish stopping.
*/}}
{{- define "tcp-gateway.terminationGracePeriodSeconds" -}}
{{- $drain := include "tcp-gateway.durationSeconds" (default "10s" (dig "shutdown" "drainTimeout" "" .Values.gateway)) | atoi }}
{{- $grace := include "tcp-gateway.durationSeconds" (default "0s" (dig "shutdown" "gracePeriod" "" .Values.gateway)) | atoi }}
{{- add .Values.preStopSleepSeconds $grace $drain 10 }}
{{- end }}

{{/* The pod's service account: the chart's own, or the one named. */}}
{{- define "tcp-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tcp-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
