document.getElementById("form_post").submit();
