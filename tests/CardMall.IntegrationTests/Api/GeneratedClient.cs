using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace CardMall.IntegrationTests.Api;

/// <summary>
/// What a reseller does with the OpenAPI document: generate a C# client from it (NSwag, System.Text.Json), compile it
/// (Roslyn, in memory) and call the API through it. The test sees the generated types only at run time, so it calls
/// them by the names the document gives (operation ids, schema names).
/// </summary>
internal sealed class GeneratedClient
{
    private const string Namespace = "Reseller";

    private readonly Assembly _assembly;
    private readonly object _client;

    private GeneratedClient(Assembly assembly, object client)
    {
        _assembly = assembly;
        _client = client;
    }

    public static async Task<GeneratedClient> CreateAsync(string openApiJson, HttpClient http)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(openApiJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "CardMallClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            GenerateExceptionClasses = true,
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("ResellerClient-" + Guid.NewGuid().ToString("N"), [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "The generated client does not compile:\n"
            + string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        image.Position = 0;
        var assembly = new AssemblyLoadContext("reseller-client", isCollectible: true).LoadFromStream(image);
        var client = Activator.CreateInstance(assembly.GetType($"{Namespace}.CardMallClient", throwOnError: true)!, http)!;
        return new GeneratedClient(assembly, client);
    }

    /// <summary>A generated model (a request body) with the given property values.</summary>
    public object New(string schema, object values)
    {
        var type = _assembly.GetType($"{Namespace}.{schema}", throwOnError: true)!;
        var model = Activator.CreateInstance(type)!;
        foreach (var value in values.GetType().GetProperties())
            type.GetProperty(value.Name)!.SetValue(model, value.GetValue(values));
        return model;
    }

    /// <summary>Calls an operation of the generated client (the overload without a cancellation token) and returns its result.</summary>
    public async Task<dynamic> CallAsync(string method, params object[] arguments)
    {
        var operation = _client.GetType().GetMethods()
            .Single(m => m.Name == method && m.GetParameters().Length == arguments.Length && m.GetParameters().All(p => p.ParameterType != typeof(CancellationToken)));
        var task = (Task)operation.Invoke(_client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary>Calls an operation that must fail, and returns the typed problem the generated client throws.</summary>
    public async Task<dynamic> ProblemAsync(string method, params object[] arguments)
    {
        try
        {
            await CallAsync(method, arguments);
        }
        catch (Exception e) when (e.GetType().Name == "ApiException`1")
        {
            return e.GetType().GetProperty("Result")!.GetValue(e)!;
        }
        throw new Xunit.Sdk.XunitException($"{method} succeeded where it should have failed.");
    }
}
