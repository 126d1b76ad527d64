using System.Text.RegularExpressions;

namespace Retail.Host.FunctionalTests;

/// <summary>The README's first two commands are exactly what a fresh clone runs, and CI runs the same test script.</summary>
public sealed partial class FreshCloneTests
{
    [Fact]
    public void The_readme_opens_with_the_run_and_test_commands()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        var block = FencedBlock().Match(readme);

        block.Success.ShouldBeTrue("README.md needs a fenced code block");
        var commands = block.Groups["body"].Value
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .ToList();
        commands.Count.ShouldBeGreaterThanOrEqualTo(2);
        commands[0].ShouldBe("dotnet run --project src/Host/Retail.Host");
        commands[1].ShouldBe("./build/test.sh");
        readme.IndexOf("```", StringComparison.Ordinal).ShouldBeLessThan(readme.IndexOf("\n## ", StringComparison.Ordinal),
            "the commands come first, before any section");
    }

    [Fact]
    public void Ci_runs_the_same_test_script()
    {
        var root = RepositoryRoot();
        var ci = File.ReadAllText(Path.Combine(root, ".ci", "run"));

        ci.Split('\n').Where(line => !line.TrimStart().StartsWith('#'))
            .ShouldContain(line => line.Contains("build/test.sh", StringComparison.Ordinal), "a non-comment line of .ci/run calls build/test.sh");
        File.Exists(Path.Combine(root, "build", "test.sh")).ShouldBeTrue();
        File.Exists(Path.Combine(root, "src", "Host", "Retail.Host", "Retail.Host.csproj")).ShouldBeTrue("the project README runs exists");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Retail.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Retail.sln.");
    }

    [GeneratedRegex(@"^```[^\n]*\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex FencedBlock();
}
