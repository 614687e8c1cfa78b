const log=document.getElementById('log'),quick=document.getElementById('quick');
function add(cls,text){const d=document.createElement('div');d.className=cls;d.textContent=text;
 log.appendChild(d);log.scrollTop=log.scrollHeight;}
async function send(text){add('me',text);
 const r=await fetch('/simulator/messages',{method:'POST',headers:{'Content-Type':'application/json'},
  body:JSON.stringify({user:document.getElementById('user').value,
   community:document.getElementById('community').value||null,text})});
 const body=await r.json();
 if(!r.ok){add('bot',body.error?body.error.message:'오류');return;}
 add('bot',body.text);quick.innerHTML='';
 for(const o of body.options){const b=document.createElement('button');
  b.textContent=o.digit+'. '+o.label;b.onclick=()=>send(o.digit);quick.appendChild(b);}}
document.getElementById('f').onsubmit=e=>{e.preventDefault();const t=document.getElementById('text');
 if(t.value.trim()){send(t.value);t.value='';}};
fetch('/simulator/communities').then(r=>r.json()).then(b=>{const s=document.getElementById('community');
 for(const c of b.items){const o=document.createElement('option');o.value=c.slug;o.textContent=c.name;
  s.appendChild(o);} send('메뉴');});
