using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace WorkingConversations.Deploy.Tests;

/// <summary>
/// The Kubernetes manifests, read into the official client's models with its strict YAML loader (an unknown or
/// misspelt field fails), the base file by file and every overlay as <c>kubectl kustomize</c> builds it.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string App = "working-conversations";

    public static TheoryData<string> Overlays() =>
        [.. Directory.GetDirectories(Path.Combine(Repository.Kubernetes, "overlays")).Select(d => Path.GetFileName(d)!).Order()];

    [Fact]
    public void The_strict_loader_refuses_a_field_the_models_do_not_have()
    {
        const string misspelt = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n";
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(misspelt, strict: true));
        Assert.IsType<V1Deployment>(Assert.Single(KubernetesYaml.LoadAllFromString(misspelt.Replace("replica:", "replicas:", StringComparison.Ordinal), strict: true)));
    }

    [Fact]
    public void Every_file_of_the_base_reads_strictly_into_the_models_and_the_base_holds_what_a_deployment_needs()
    {
        var kustomization = File.ReadAllText(Path.Combine(Repository.Kubernetes, "base", "kustomization.yaml"));
        var files = ResourceLine().Matches(kustomization).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(files);
        Assert.Equal(files.Order(), Directory.GetFiles(Path.Combine(Repository.Kubernetes, "base"), "*.yaml")
            .Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order());

        var objects = files.SelectMany(f => Load(File.ReadAllText(Path.Combine(Repository.Kubernetes, "base", f)), $"base/{f}")).ToList();
        CheckInstallation(objects, secretIncluded: false);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_overlay_builds_with_kubectl_kustomize_and_reads_strictly_into_the_models(string overlay)
    {
        var built = Kustomize(Path.Combine(Repository.Kubernetes, "overlays", overlay));
        var objects = Load(built, $"overlays/{overlay}");
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty) && o is not V1Namespace,
            $"{o.GetType().Name} {((IMetadata<V1ObjectMeta>)o).Metadata.Name} has no namespace in overlay {overlay}"));
        CheckInstallation(objects, secretIncluded: objects.OfType<V1Secret>().Any());
        Assert.NotEqual("latest", Single<V1Deployment>(objects).Spec.Template.Spec.Containers.Single().Image.Split(':').Last());
    }

    [Fact]
    public void The_production_overlay_runs_at_least_three_nodes_spread_over_zones_with_no_secret_in_the_repository()
    {
        var objects = Load(Kustomize(Path.Combine(Repository.Kubernetes, "overlays", "production")), "overlays/production");
        Assert.Empty(objects.OfType<V1Secret>());
        var deployment = Single<V1Deployment>(objects);
        Assert.True(deployment.Spec.Replicas >= 3);
        Assert.True(Single<V2HorizontalPodAutoscaler>(objects).Spec.MinReplicas >= 3);
        Assert.Contains(deployment.Spec.Template.Spec.TopologySpreadConstraints, c => c.TopologyKey == "topology.kubernetes.io/zone");
        Assert.False(string.IsNullOrEmpty(Single<V1ConfigMap>(objects).Data["OTEL_EXPORTER_OTLP_ENDPOINT"]));
    }

    private static void CheckInstallation(IReadOnlyList<object> objects, bool secretIncluded)
    {
        var deployment = Single<V1Deployment>(objects);
        var pod = deployment.Spec.Template;
        var podLabels = pod.Metadata.Labels;
        Assert.True(deployment.Spec.Selector.MatchLabels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value), "The Deployment's selector does not match its pods");
        Assert.True(deployment.Spec.Replicas >= 2, "Several nodes: Balanced mode is for two or more");
        Assert.Equal(0, deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value is string s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0);

        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot, "Pods run as a non-root user");
        var host = Assert.Single(pod.Spec.Containers);
        Assert.Equal(App, host.Image.Split(':')[0].Split('/').Last());
        Assert.False(host.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(host.SecurityContext.ReadOnlyRootFilesystem);
        var port = Assert.Single(host.Ports);
        Assert.Equal(("http", 8080), (port.Name, port.ContainerPort));

        Assert.Equal("/health/live", host.StartupProbe.HttpGet.Path);
        Assert.Equal("/health/live", host.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health/ready", host.ReadinessProbe.HttpGet.Path);
        Assert.All(new[] { host.StartupProbe, host.LivenessProbe, host.ReadinessProbe }, p => Assert.Equal("http", p.HttpGet.Port.Value));
        Assert.All(new[] { "cpu", "memory" }, r =>
        {
            Assert.True(host.Resources.Requests.ContainsKey(r), $"no {r} request");
            Assert.True(host.Resources.Limits.ContainsKey(r), $"no {r} limit");
        });

        // Settings by reference: the ConfigMap of the installation, and the Secret's keys for what must not be in it.
        var configMap = Single<V1ConfigMap>(objects);
        Assert.Contains(host.EnvFrom, e => e.ConfigMapRef?.Name == configMap.Metadata.Name);
        Assert.Equal("RabbitMq", configMap.Data["Messaging__Transport"]);
        Assert.Equal("Balanced", configMap.Data["Messaging__DurabilityMode"]);
        Assert.Equal("Production", configMap.Data["ASPNETCORE_ENVIRONMENT"]);
        var fromSecret = host.Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).ToDictionary(e => e.Name, e => e.ValueFrom.SecretKeyRef);
        foreach (var setting in new[] { "ConnectionStrings__Postgres", "Referrals__MatchKey", "Referrals__IdentityEncryptionKey", "Messaging__RabbitMq__Uri" })
        {
            Assert.True(fromSecret.TryGetValue(setting, out var reference), $"{setting} does not come from the Secret");
            Assert.Equal(App, reference.Name);
            Assert.NotEqual(true, reference.Optional);
        }

        Assert.DoesNotContain(configMap.Data.Keys, k => fromSecret.ContainsKey(k));
        if (secretIncluded)
        {
            var secret = Single<V1Secret>(objects);
            Assert.Equal(App, secret.Metadata.Name);
            var keys = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).ToHashSet();
            Assert.All(fromSecret.Values.Where(r => r.Optional != true), r => Assert.Contains(r.Key, keys));
        }

        var service = Single<V1Service>(objects);
        Assert.True(service.Spec.Selector.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value), "The Service selects no host pod");
        Assert.Contains(service.Spec.Ports, p => p.TargetPort.Value == "http");

        var hpa = Single<V2HorizontalPodAutoscaler>(objects);
        Assert.Equal(("Deployment", deployment.Metadata.Name), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.True(hpa.Spec.MinReplicas >= 2 && hpa.Spec.MaxReplicas >= hpa.Spec.MinReplicas);

        var pdb = Single<V1PodDisruptionBudget>(objects);
        Assert.True(pdb.Spec.Selector.MatchLabels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value), "The PodDisruptionBudget covers no host pod");
        Assert.True(pdb.Spec.MinAvailable is not null ^ pdb.Spec.MaxUnavailable is not null);

        var policy = Single<V1NetworkPolicy>(objects);
        Assert.True(policy.Spec.PodSelector.MatchLabels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value), "The NetworkPolicy covers no host pod");
        Assert.Equal(["Egress", "Ingress"], policy.Spec.PolicyTypes.Order());
        Assert.Contains(policy.Spec.Ingress, r => r.Ports.Any(p => p.Port.Value == "8080"));
        foreach (var needed in new[] { "53", "5432", "5672" })
            Assert.Contains(policy.Spec.Egress, r => r.Ports.Any(p => p.Port.Value == needed));

        // The migration: the host's own db-apply command, on the same image, settings and secrets, once.
        var job = Single<V1Job>(objects);
        var migration = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal(["db-apply"], migration.Args);
        Assert.Equal(host.Image, migration.Image);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Contains(migration.EnvFrom, e => e.ConfigMapRef?.Name == configMap.Metadata.Name);
        Assert.Contains(migration.Env, e => e.Name == "ConnectionStrings__Postgres" && e.ValueFrom?.SecretKeyRef?.Name == App);
        Assert.True(job.Spec.Template.Spec.SecurityContext.RunAsNonRoot);

        Assert.Equal(pod.Spec.ServiceAccountName, Single<V1ServiceAccount>(objects).Metadata.Name);
    }

    private static T Single<T>(IEnumerable<object> objects) => Assert.Single(objects.OfType<T>());

    private static List<object> Load(string yaml, string source)
    {
        try
        {
            var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true).ToList();
            Assert.All(objects, o => Assert.True(o is IKubernetesObject, $"{source}: {o?.GetType().Name} is not a Kubernetes object"));
            return objects;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{source} does not read strictly into the Kubernetes models: {e.Message} {e.InnerException?.Message}");
        }
    }

    /// <summary>
    /// The proxies whose X-Forwarded-For the host believes: the setting is in every overlay's ConfigMap, so an operator
    /// sees it, and what an overlay sets is networks the host reads (an address, a prefix length and no bits past it,
    /// as the host's own check at start-up wants), never every address. The dev overlay knows its ingress's network.
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_overlay_names_the_proxies_it_trusts_as_networks_the_host_reads_and_never_every_address(string overlay)
    {
        var configMap = Single<V1ConfigMap>(Load(Kustomize(Path.Combine(Repository.Kubernetes, "overlays", overlay)), $"overlays/{overlay}"));
        Assert.True(configMap.Data.TryGetValue("Network__ForwardedHeaders__KnownNetworks", out var value), $"overlay {overlay} drops the proxy setting");
        var networks = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var network in networks)
        {
            var slash = network.IndexOf('/', StringComparison.Ordinal);
            var read = System.Net.IPNetwork.TryParse(network, out var parsed);
            Assert.True(slash > 0 && read && parsed.BaseAddress.Equals(System.Net.IPAddress.Parse(network[..slash])),
                $"overlay {overlay}: '{network}' is not a network the host reads");
            Assert.True(parsed.PrefixLength > 0, $"overlay {overlay}: '{network}' trusts every address");
        }

        if (overlay == "dev") Assert.NotEmpty(networks);
    }

    /// <summary>
    /// The certificate the Data Protection key ring is encrypted to: a file of the Secret, mounted read-only where
    /// <c>DataProtection__CertificatePath</c> tells the host to read it; the dev overlay's Secret has it, as a PEM with its key.
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_overlay_mounts_the_key_ring_certificate_from_the_secret_where_the_host_reads_it(string overlay)
    {
        var objects = Load(Kustomize(Path.Combine(Repository.Kubernetes, "overlays", overlay)), $"overlays/{overlay}");
        var pod = Single<V1Deployment>(objects).Spec.Template.Spec;
        var host = Assert.Single(pod.Containers);
        var path = Assert.Single(host.Env, e => e.Name == "DataProtection__CertificatePath").Value;
        var mount = Assert.Single(host.VolumeMounts, m => path.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        Assert.True(mount.ReadOnlyProperty);
        var volume = Assert.Single(pod.Volumes, v => v.Name == mount.Name);
        Assert.Equal(App, volume.Secret.SecretName);
        var item = Assert.Single(volume.Secret.Items, i => mount.MountPath + "/" + i.Path == path);
        Assert.Equal("data-protection-certificate", item.Key);

        if (objects.OfType<V1Secret>().SingleOrDefault() is { } secret)
        {
            var pem = System.Text.Encoding.UTF8.GetString(secret.Data[item.Key]);
            using var certificate = X509Certificate2.CreateFromPem(pem, pem);
            using var key = certificate.GetRSAPrivateKey();
            Assert.NotNull(key);
        }
    }

    /// <summary>
    /// Builds an overlay with kubectl's kustomize. CI installs kubectl (.ci/run); anywhere else its absence fails the
    /// test with how to get it, rather than passing a check that never ran.
    /// </summary>
    private static string Kustomize(string directory)
    {
        (int ExitCode, string Output, string Error) version;
        try
        {
            version = Repository.Run("kubectl", "version", "--client");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new Xunit.Sdk.XunitException(
                "kubectl is not installed, so the overlays cannot be built: install it (Debian: apt-get install kubectl, or kubernetes-client on machines without the Kubernetes package source; .ci/run does this), version 1.27 or later.");
        }

        var kustomize = KustomizeVersion().Match(version.Output);
        Assert.True(kustomize.Success && int.Parse(kustomize.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 5,
            $"The overlays need kubectl 1.27 or later (kustomize v5), this one says: {version.Output}{version.Error}");

        var (code, output, error) = Repository.Run("kubectl", "kustomize", directory);
        Assert.True(code == 0, $"kubectl kustomize {directory} failed ({code}): {error}");
        Assert.DoesNotContain("Warning", error, StringComparison.Ordinal);
        return output;
    }

    [GeneratedRegex(@"^\s*-\s+([\w.-]+\.yaml)\s*$", RegexOptions.Multiline)]
    private static partial Regex ResourceLine();

    [GeneratedRegex(@"Kustomize Version: v(\d+)\.")]
    private static partial Regex KustomizeVersion();
}
